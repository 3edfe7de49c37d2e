package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.yaml.YamlNode;
import dev.cairn.data.yaml.YamlProblems;
import dev.cairn.data.yaml.YamlReader;
import dev.cairn.pipeline.schedule.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a spec's YAML into a {@link PipelineSpec}, or into every problem it has, each with its line and path.
 * Steps are named by id in paths ({@code steps.train.needs}) once their id is known, by index before.
 */
final class SpecParser extends NodeReader {
    static final List<String> TOP_KEYS = List.of("name", "description", "parameters", "triggers", "concurrency", "steps");
    static final List<String> STEP_KEYS = List.of("id", "type", "description", "needs", "with", "if", "retry", "timeout", "cache");
    static final List<String> RETRY_KEYS = List.of("attempts", "backoff", "factor", "max_backoff");
    static final List<String> CONCURRENCY_KEYS = List.of("max_runs", "on_conflict");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** Pipeline names taken by the REST API's own paths under /api/v1/pipelines/. */
    static final List<String> RESERVED_NAMES = List.of("runs", "sync");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final YamlReader.Document DOCUMENT = new YamlReader.Document("spec", "a mapping with name and steps");
    private static final String NAME_RULE = "lower-case letters, digits, '-' and '_', starting with a letter or digit, "
            + "at most 64 characters";

    /**
     * A step as read, with what validation after reading all steps needs. A step of an unknown type has no
     * {@code step} but keeps its place in the graph, so the steps that need it are not reported as well.
     */
    record Draft(String id, StepType type, List<String> needs, Step step, String path, YamlNode.Entry idEntry,
                 List<YamlNode> needsNodes, List<ReferenceSite> sites) {}

    private final String text;
    private final String source;
    private final InputReader inputs;

    SpecParser(String text, String source) {
        super(new YamlProblems());
        this.text = text;
        this.source = source;
        this.inputs = new InputReader(problems);
    }

    PipelineSpec parse() {
        YamlNode root = YamlReader.read(text, problems, DOCUMENT);
        if (root == null) throw problems.exception(source, "pipeline");
        if (!(root instanceof YamlNode.Mapping top)) {
            problems.add(root, "", "a pipeline spec is a mapping with keys " + String.join(", ", TOP_KEYS)
                    + "; found " + root.describe());
            throw problems.exception(source, "pipeline");
        }
        unknownKeys(top, "", TOP_KEYS, "");

        String name = requiredName(top, "name", "name", "the pipeline's name");
        if (name != null && RESERVED_NAMES.contains(name)) {
            problems.add(top.get("name"), "name", "'" + name + "' is reserved (the REST API's /pipelines/" + name
                    + " means something else); choose another name");
            name = null;
        }
        String description = optionalText(top.get("description"), "description");
        Map<String, Object> parameters = parameters(top.get("parameters"));
        Concurrency concurrency = concurrency(top.get("concurrency"));

        List<Draft> drafts = steps(top);
        Map<String, Draft> byId = new LinkedHashMap<>();
        for (Draft d : drafts) {
            Draft first = byId.putIfAbsent(d.id(), d);
            if (first != null) {
                problems.add(d.idEntry().value(), d.path() + ".id", "duplicate step id '" + d.id()
                        + "' (first at line " + first.idEntry().value().line() + ")");
            }
        }
        Dag dag = graph(byId);
        references(byId, dag, parameters);
        List<Trigger> triggers = new TriggerReader(problems).triggers(top.get("triggers"), byId);

        if (!problems.isEmpty()) throw problems.exception(source, "pipeline");
        List<Step> steps = byId.values().stream().map(Draft::step).toList();
        return new PipelineSpec(name, description, parameters, triggers, concurrency, steps, source,
                PipelineSpec.sha256Of(text), text);
    }

    // ---- parameters, concurrency ------------------------------------------------------------------------------

    private Map<String, Object> parameters(YamlNode node) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (absent(node)) return parameters;
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, "parameters", "expected a mapping of name: default value, found " + node.describe());
            return parameters;
        }
        for (YamlNode.Entry e : m.entries()) {
            String path = "parameters." + e.key();
            if (!VARIABLE.matcher(e.key()).matches()) {
                problems.add(e, path, "parameter name '" + e.key() + "' is not valid: letters, digits and '_', not "
                        + "starting with a digit, at most 64 characters");
            }
            parameters.put(e.key(), inputs.natural(e.value(), path, null));
        }
        return parameters;
    }

    private Concurrency concurrency(YamlNode node) {
        if (absent(node)) return Concurrency.DEFAULT;
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, "concurrency", "expected a mapping with " + String.join(", ", CONCURRENCY_KEYS)
                    + ", found " + node.describe());
            return Concurrency.DEFAULT;
        }
        unknownKeys(m, "concurrency", CONCURRENCY_KEYS, "");
        int maxRuns = Concurrency.DEFAULT.maxRuns();
        YamlNode max = m.get("max_runs");
        if (!absent(max)) {
            Long n = integer(max, "concurrency.max_runs", 1, Concurrency.MAX_RUNS);
            if (n != null) maxRuns = n.intValue();
        }
        Concurrency.OnConflict onConflict = Concurrency.DEFAULT.onConflict();
        YamlNode conflict = m.get("on_conflict");
        if (!absent(conflict)) {
            String t = text(conflict, "concurrency.on_conflict");
            Concurrency.OnConflict c = t == null ? null : Concurrency.OnConflict.fromLabel(t);
            if (t != null && c == null) {
                problems.add(conflict, "concurrency.on_conflict", "'" + t + "' is not one of: " + Concurrency.OnConflict.labels());
            }
            if (c != null) onConflict = c;
        }
        return new Concurrency(maxRuns, onConflict);
    }

    // ---- steps ------------------------------------------------------------------------------------------------

    private List<Draft> steps(YamlNode.Mapping top) {
        List<Draft> drafts = new ArrayList<>();
        YamlNode.Entry entry = top.entry("steps");
        if (entry == null || absent(entry.value())) {
            problems.add(top, "steps", "missing key 'steps': a pipeline needs at least one step");
            return drafts;
        }
        if (!(entry.value() instanceof YamlNode.Sequence list)) {
            problems.add(entry.value(), "steps", "expected a list of steps (- id: ..., type: ...), found " + entry.value().describe());
            return drafts;
        }
        if (list.items().isEmpty()) problems.add(list, "steps", "a pipeline needs at least one step");
        for (int i = 0; i < list.items().size(); i++) {
            Draft d = step(list.items().get(i), "steps[" + i + "]");
            if (d != null) drafts.add(d);
        }
        return drafts;
    }

    private Draft step(YamlNode node, String indexPath) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, indexPath, "a step is a mapping with keys " + String.join(", ", STEP_KEYS)
                    + "; found " + node.describe());
            return null;
        }
        YamlNode.Entry idEntry = m.entry("id");
        String id = null;
        if (idEntry == null || absent(idEntry.value())) {
            problems.add(m, indexPath, "missing key 'id': every step has an id (" + NAME_RULE + ")");
        } else {
            id = text(idEntry.value(), indexPath + ".id");
            if (id != null && !NAME.matcher(id).matches()) {
                problems.add(idEntry.value(), indexPath + ".id", "step id '" + id + "' is not valid: " + NAME_RULE);
                id = null;
            }
        }
        String path = id == null ? indexPath : "steps." + id;
        unknownKeys(m, path, STEP_KEYS, "");

        StepType type = null;
        YamlNode typeNode = m.get("type");
        if (absent(typeNode)) {
            problems.add(m, path, "missing key 'type' (types are: " + StepType.labels() + ")");
        } else {
            String t = text(typeNode, path + ".type");
            if (t != null) {
                type = StepType.fromLabel(t);
                if (type == null) {
                    problems.add(typeNode, path + ".type", "unknown step type '" + t + "' (types are: " + StepType.labels() + ")");
                }
            }
        }
        String description = optionalText(m.get("description"), path + ".description");

        List<String> needs = new ArrayList<>();
        List<YamlNode> needsNodes = new ArrayList<>();
        YamlNode needsNode = m.get("needs");
        if (!absent(needsNode)) {
            List<YamlNode> items = needsNode instanceof YamlNode.Sequence s ? s.items() : List.of(needsNode);
            for (YamlNode item : items) {
                String n = text(item, path + ".needs");
                if (n == null) continue;
                if (needs.contains(n)) {
                    problems.add(item, path + ".needs", "step '" + n + "' is listed twice");
                    continue;
                }
                needs.add(n);
                needsNodes.add(item);
            }
        }

        List<ReferenceSite> sites = new ArrayList<>();
        Map<String, Object> with = type == null ? Map.of() : inputs.with(m, type, path, sites);

        Condition condition = null;
        YamlNode ifNode = m.get("if");
        if (!absent(ifNode)) {
            if (ifNode instanceof YamlNode.Scalar s) {
                try {
                    condition = Condition.parse(s.text());
                    for (Reference r : condition.references()) sites.add(new ReferenceSite(r, ifNode, path + ".if"));
                } catch (CairnException e) {
                    problems.add(ifNode, path + ".if", e.getMessage());
                }
            } else {
                problems.add(ifNode, path + ".if", "expected a condition such as \"${steps.evaluate.outputs.blessed}\", found "
                        + ifNode.describe());
            }
        }

        Retry retry = retry(m.get("retry"), path + ".retry");
        Duration timeout = null;
        YamlNode timeoutNode = m.get("timeout");
        if (!absent(timeoutNode)) {
            timeout = duration(timeoutNode, path + ".timeout");
            if (timeout != null && timeout.isZero()) {
                problems.add(timeoutNode, path + ".timeout", "a timeout must be longer than zero");
                timeout = null;
            }
        }

        boolean cache = type != null && type.caching() == StepType.Caching.ON;
        YamlNode cacheNode = m.get("cache");
        if (!absent(cacheNode)) {
            Boolean c = bool(cacheNode, path + ".cache");
            if (c != null && c && type != null && type.caching() == StepType.Caching.NEVER) {
                problems.add(cacheNode, path + ".cache", NodeReader.article(type) + " is never cached: it reads a "
                        + "mutable source or changes the registry, a deployment or a table");
            } else if (c != null) {
                cache = c;
            }
        }

        if (id == null) return null; // reported above; without an id nothing can refer to the step
        List<Reference> references = new ArrayList<>(new LinkedHashSet<>(sites.stream().map(ReferenceSite::reference).toList()));
        Step step = type == null ? null
                : new Step(id, type, description, needs, with, condition, retry, timeout, cache, references, m.line());
        return new Draft(id, type, needs, step, path, idEntry, needsNodes, sites);
    }

    private Retry retry(YamlNode node, String path) {
        if (absent(node)) return Retry.NONE;
        int attempts = 1;
        Duration backoff = Retry.DEFAULT_BACKOFF;
        double factor = Retry.DEFAULT_FACTOR;
        Duration maxBackoff = Retry.DEFAULT_MAX_BACKOFF;
        if (node instanceof YamlNode.Scalar) {
            // retry: 3 is retry: {attempts: 3}
            Long n = integer(node, path, 1, Retry.MAX_ATTEMPTS);
            return n == null ? Retry.NONE : new Retry(n.intValue(), backoff, factor, maxBackoff);
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, path, "expected a number of attempts or a mapping with " + String.join(", ", RETRY_KEYS)
                    + ", found " + node.describe());
            return Retry.NONE;
        }
        unknownKeys(m, path, RETRY_KEYS, "");
        YamlNode a = m.get("attempts");
        if (absent(a)) {
            problems.add(m, path, "missing key 'attempts' (every try counts, the first included: 3 is two retries)");
        } else {
            Long n = integer(a, path + ".attempts", 1, Retry.MAX_ATTEMPTS);
            if (n != null) attempts = n.intValue();
        }
        if (!absent(m.get("backoff"))) {
            Duration d = duration(m.get("backoff"), path + ".backoff");
            if (d != null) backoff = d;
        }
        YamlNode f = m.get("factor");
        if (!absent(f)) {
            if (f instanceof YamlNode.Scalar s && s.value() instanceof Number n && n.doubleValue() >= 1
                    && n.doubleValue() <= Retry.MAX_FACTOR) {
                factor = n.doubleValue();
            } else {
                problems.add(f, path + ".factor", "expected a number from 1 to " + Retry.MAX_FACTOR + ", found " + f.describe());
            }
        }
        YamlNode max = m.get("max_backoff");
        if (!absent(max)) {
            Duration d = duration(max, path + ".max_backoff");
            if (d != null) maxBackoff = d;
        }
        if (maxBackoff.compareTo(backoff) < 0) {
            problems.add(absent(max) ? m : max, path + ".max_backoff", "max_backoff (" + maxBackoff + ") is shorter than backoff ("
                    + backoff + ")");
            maxBackoff = backoff;
        }
        return new Retry(attempts, backoff, factor, maxBackoff);
    }

    // ---- the graph and references ------------------------------------------------------------------------------

    private Dag graph(Map<String, Draft> byId) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        String known = String.join(", ", byId.keySet());
        for (Draft d : byId.values()) {
            List<String> edges = new ArrayList<>();
            for (int i = 0; i < d.needs().size(); i++) {
                String n = d.needs().get(i);
                if (byId.containsKey(n)) edges.add(n);
                else problems.add(d.needsNodes().get(i), d.path() + ".needs", "unknown step '" + n + "' (steps are: " + known + ")");
            }
            needs.put(d.id(), edges);
        }
        Dag dag = new Dag(needs);
        for (List<String> cycle : dag.cycles()) {
            Draft first = byId.get(cycle.getFirst());
            int at = first.needs().indexOf(cycle.get(1));
            String what = cycle.size() == 2 ? "step '" + cycle.getFirst() + "' needs itself"
                    : "steps form a cycle: " + String.join(" -> ", cycle) + " (each needs the next)";
            problems.add(first.needsNodes().get(at), first.path() + ".needs", what);
        }
        return dag;
    }

    private void references(Map<String, Draft> byId, Dag dag, Map<String, Object> parameters) {
        String known = String.join(", ", byId.keySet());
        for (Draft d : byId.values()) {
            Set<String> upstream = dag.upstream(d.id());
            for (ReferenceSite site : d.sites()) {
                Reference r = site.reference();
                switch (r.kind()) {
                    case PARAM -> {
                        if (!parameters.containsKey(r.name())) {
                            problems.add(site.at(), site.path(), "unknown parameter '" + r.name() + "' in " + r
                                    + (parameters.isEmpty() ? " (the spec declares no parameters)"
                                    : " (parameters are: " + String.join(", ", parameters.keySet()) + ")"));
                        }
                    }
                    case OUTPUT -> {
                        Draft target = byId.get(r.step());
                        if (target == null) {
                            problems.add(site.at(), site.path(), "unknown step '" + r.step() + "' in " + r + " (steps are: " + known + ")");
                        } else if (target == d) {
                            problems.add(site.at(), site.path(), r + ": a step cannot use its own outputs");
                        } else if (!upstream.contains(r.step())) {
                            problems.add(site.at(), site.path(), r + " uses step '" + r.step() + "', which is not upstream of '"
                                    + d.id() + "' (add '" + r.step() + "' to its needs)");
                        } else if (target.step() != null && !target.step().outputs().contains(r.name())) {
                            List<String> outputs = target.step().outputs();
                            problems.add(site.at(), site.path(), "step '" + r.step() + "' (" + article(target.type())
                                    + ") has no output '" + r.name() + "' (" + (outputs.isEmpty() ? "it has no outputs"
                                    : "its outputs are: " + String.join(", ", outputs)) + ")");
                        }
                    }
                    case RUN -> {
                        // Checked when the template was read.
                    }
                }
            }
        }
    }

    private String requiredName(YamlNode.Mapping m, String key, String path, String what) {
        YamlNode node = m.get(key);
        if (absent(node)) {
            problems.add(m, path, "missing key '" + key + "': " + what + " (" + NAME_RULE + ")");
            return null;
        }
        String t = text(node, path);
        if (t != null && !NAME.matcher(t).matches()) {
            problems.add(node, path, "'" + t + "' is not a valid name: " + NAME_RULE);
            return null;
        }
        return t;
    }
}

package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.schedule.CatchUp;
import dev.cairn.pipeline.schedule.CronSchedule;
import dev.cairn.pipeline.schedule.Trigger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
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
final class SpecParser {
    static final List<String> TOP_KEYS = List.of("name", "description", "parameters", "triggers", "concurrency", "steps");
    static final List<String> STEP_KEYS = List.of("id", "type", "description", "needs", "with", "if", "retry", "timeout", "cache");
    static final List<String> RETRY_KEYS = List.of("attempts", "backoff", "factor", "max_backoff");
    static final List<String> CONCURRENCY_KEYS = List.of("max_runs", "on_conflict");
    static final List<String> TRIGGER_KINDS = List.of("schedule", "data", "alert", "manual");
    static final List<String> SCHEDULE_KEYS = List.of("cron", "timezone", "catch_up");
    static final List<String> DATA_KEYS = List.of("source", "poll");
    static final List<String> ALERT_KEYS = List.of("deployment", "rules");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final String NAME_RULE = "lower-case letters, digits, '-' and '_', starting with a letter or digit, "
            + "at most 64 characters";

    /** A reference and where it is written, kept until every step is known. */
    private record Site(Reference reference, YamlNode at, String path) {}

    /**
     * A step as read, with what validation after reading all steps needs. A step of an unknown type has no
     * {@code step} but keeps its place in the graph, so the steps that need it are not reported as well.
     */
    private record Draft(String id, StepType type, List<String> needs, Step step, String path, YamlNode.Entry idEntry,
                         List<YamlNode> needsNodes, List<Site> sites) {}

    private final String text;
    private final String source;
    private final Problems problems = new Problems();

    SpecParser(String text, String source) {
        this.text = text;
        this.source = source;
    }

    PipelineSpec parse() {
        YamlNode root = YamlReader.read(text, problems);
        if (root == null) throw problems.exception(source);
        if (!(root instanceof YamlNode.Mapping top)) {
            problems.add(root, "", "a pipeline spec is a mapping with keys " + String.join(", ", TOP_KEYS)
                    + "; found " + root.describe());
            throw problems.exception(source);
        }
        unknownKeys(top, "", TOP_KEYS, "");

        String name = requiredName(top, "name", "name", "the pipeline's name");
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
        List<Trigger> triggers = triggers(top.get("triggers"), byId);

        if (!problems.isEmpty()) throw problems.exception(source);
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
            parameters.put(e.key(), natural(e.value(), path, null));
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

        List<Site> sites = new ArrayList<>();
        Map<String, Object> with = type == null ? Map.of() : with(m, type, path, sites);

        Condition condition = null;
        YamlNode ifNode = m.get("if");
        if (!absent(ifNode)) {
            if (ifNode instanceof YamlNode.Scalar s) {
                try {
                    condition = Condition.parse(s.text());
                    for (Reference r : condition.references()) sites.add(new Site(r, ifNode, path + ".if"));
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
                problems.add(cacheNode, path + ".cache", "a " + type.label() + " step is never cached: it reads a "
                        + "mutable source or changes the registry, a deployment or a table");
            } else if (c != null) {
                cache = c;
            }
        }

        if (id == null) return null; // reported above; without an id nothing can refer to the step
        List<Reference> references = new ArrayList<>(new LinkedHashSet<>(sites.stream().map(Site::reference).toList()));
        Step step = type == null ? null
                : new Step(id, type, description, needs, with, condition, retry, timeout, cache, references, m.line());
        return new Draft(id, type, needs, step, path, idEntry, needsNodes, sites);
    }

    private Map<String, Object> with(YamlNode.Mapping step, StepType type, String path, List<Site> sites) {
        Map<String, Object> with = new LinkedHashMap<>();
        YamlNode node = step.get("with");
        YamlNode.Mapping m = null;
        if (!absent(node)) {
            if (node instanceof YamlNode.Mapping mapping) {
                m = mapping;
            } else {
                problems.add(node, path + ".with", "expected a mapping of the step's inputs, found " + node.describe());
                return with;
            }
        }
        String withPath = path + ".with";
        if (m != null) {
            unknownKeys(m, withPath, type.keys(), " for a " + type.label() + " step");
            for (YamlNode.Entry e : m.entries()) {
                StepType.Input input = type.input(e.key());
                if (input == null || absent(e.value())) continue;
                Object value = value(e.value(), input, withPath + "." + e.key(), sites);
                if (value != null) with.put(e.key(), value);
            }
        }
        YamlNode.Mapping given = m;
        List<String> missing = type.inputs().stream()
                .filter(i -> i.required() && (given == null || absent(given.get(i.key()))))
                .map(StepType.Input::key)
                .toList();
        for (String key : missing) {
            List<String> required = type.inputs().stream().filter(StepType.Input::required).map(StepType.Input::key).toList();
            YamlNode at = m == null ? step : m.entry(key) != null ? m.entry(key).value() : m;
            problems.add(at, withPath, "missing required key '" + key + "' for a " + type.label() + " step (required: "
                    + String.join(", ", required) + ")");
        }
        if (type == StepType.COMMAND && with.get("outputs") instanceof List<?> outputs) {
            commandOutputs(m.get("outputs"), outputs, withPath + ".outputs");
        }
        return with;
    }

    private void commandOutputs(YamlNode node, List<?> outputs, String path) {
        Set<String> seen = new LinkedHashSet<>();
        for (Object o : outputs) {
            String name = String.valueOf(o);
            if (!VARIABLE.matcher(name).matches()) {
                problems.add(node, path, "output name '" + name + "' is not valid: letters, digits and '_', not starting with a digit");
            } else if (!seen.add(name) || StepType.COMMAND.output(name) != null) {
                problems.add(node, path, "output '" + name + "' is declared twice (exit_code is always an output)");
            }
        }
    }

    /** A {@code with} value as its input's kind says; a value that is one whole reference is checked at run time. */
    private Object value(YamlNode node, StepType.Input input, String path, List<Site> sites) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String str && Template.mayReference(str)) {
            Template t = template(str, node, path, sites);
            if (t == null) return null;
            if (t.hasReferences()) {
                if (t.isSingleReference()) return input.kind() == ValueKind.LIST ? List.of(str) : str;
                if (input.kind() == ValueKind.TEXT || input.kind() == ValueKind.ANY) return str;
                if (input.kind() == ValueKind.LIST) return List.of(str);
                problems.add(node, path, "expected " + input.kind().expected() + ", found a text mixing ${...} with other text");
                return null;
            }
        }
        switch (input.kind()) {
            case TEXT -> {
                String t = text(node, path);
                if (t != null && !input.choices().isEmpty() && !input.choices().contains(t)) {
                    problems.add(node, path, "'" + t + "' is not one of: " + String.join(", ", input.choices()));
                    return null;
                }
                return t;
            }
            case NUMBER -> {
                if (node instanceof YamlNode.Scalar s && s.value() instanceof Number n) return n;
                problems.add(node, path, "expected a number, found " + node.describe());
                return null;
            }
            case INTEGER -> {
                return integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case BOOLEAN -> {
                return bool(node, path);
            }
            case DURATION -> {
                return duration(node, path);
            }
            case LIST -> {
                if (node instanceof YamlNode.Sequence seq) {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < seq.items().size(); i++) items.add(natural(seq.items().get(i), path + "[" + i + "]", sites));
                    return Collections.unmodifiableList(items);
                }
                if (node instanceof YamlNode.Scalar) return Collections.singletonList(natural(node, path, sites));
                problems.add(node, path, "expected a list, found " + node.describe());
                return null;
            }
            case MAP -> {
                if (node instanceof YamlNode.Mapping) return natural(node, path, sites);
                problems.add(node, path, "expected a mapping, found " + node.describe());
                return null;
            }
            default -> {
                return natural(node, path, sites);
            }
        }
    }

    /**
     * A value as YAML typed it: texts, numbers, booleans, null, lists and maps. References are collected into
     * {@code sites}; where {@code sites} is null (parameters) none are allowed.
     */
    private Object natural(YamlNode node, String path, List<Site> sites) {
        return switch (node) {
            case YamlNode.Scalar s -> {
                if (s.value() instanceof String str && Template.mayReference(str)) {
                    if (sites == null) {
                        if (Template.parseQuietly(str).map(Template::hasReferences).orElse(false)) {
                            problems.add(node, path, "parameter defaults cannot use ${...}; give the value itself");
                        }
                    } else {
                        template(str, node, path, sites);
                    }
                }
                yield s.value();
            }
            case YamlNode.Sequence seq -> {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < seq.items().size(); i++) items.add(natural(seq.items().get(i), path + "[" + i + "]", sites));
                yield Collections.unmodifiableList(items);
            }
            case YamlNode.Mapping m -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (YamlNode.Entry e : m.entries()) map.put(e.key(), natural(e.value(), path + "." + e.key(), sites));
                yield Collections.unmodifiableMap(map);
            }
            case YamlNode.Invalid i -> null;
        };
    }

    private Template template(String str, YamlNode node, String path, List<Site> sites) {
        try {
            Template t = Template.parse(str);
            for (Reference r : t.references()) sites.add(new Site(r, node, path));
            return t;
        } catch (CairnException e) {
            problems.add(node, path, e.getMessage());
            return null;
        }
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
            for (Site site : d.sites()) {
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

    // ---- triggers -----------------------------------------------------------------------------------------------

    private List<Trigger> triggers(YamlNode node, Map<String, Draft> steps) {
        List<Trigger> triggers = new ArrayList<>();
        if (absent(node)) return triggers;
        if (!(node instanceof YamlNode.Sequence list)) {
            problems.add(node, "triggers", "expected a list of triggers (- schedule: ..., - data: ..., - alert: ..., "
                    + "- manual: {}), found " + node.describe());
            return triggers;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String path = "triggers[" + i + "]";
            YamlNode item = list.items().get(i);
            if (!(item instanceof YamlNode.Mapping m) || m.entries().size() != 1) {
                problems.add(item, path, "a trigger is a mapping with one key, its kind: " + String.join(", ", TRIGGER_KINDS)
                        + "; found " + (item instanceof YamlNode.Mapping m2 ? "keys " + m2.entries().stream()
                        .map(YamlNode.Entry::key).toList() : item.describe()));
                continue;
            }
            YamlNode.Entry kind = m.entries().getFirst();
            String kindPath = path + "." + kind.key();
            Trigger t = switch (kind.key()) {
                case "schedule" -> schedule(kind.value(), kindPath);
                case "data" -> data(kind.value(), kindPath, steps);
                case "alert" -> alert(kind.value(), kindPath);
                case "manual" -> manual(kind.value(), kindPath);
                default -> {
                    problems.add(kind, kindPath, "unknown trigger kind '" + kind.key() + "' (kinds are: "
                            + String.join(", ", TRIGGER_KINDS) + ")");
                    yield null;
                }
            };
            if (t != null) triggers.add(t);
        }
        return triggers;
    }

    private Trigger schedule(YamlNode node, String path) {
        YamlNode cronNode;
        YamlNode zoneNode = null;
        YamlNode catchUpNode = null;
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            cronNode = node; // schedule: "0 2 * * *" is a cron in UTC
        } else if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, SCHEDULE_KEYS, " for a schedule");
            cronNode = m.get("cron");
            zoneNode = m.get("timezone");
            catchUpNode = m.get("catch_up");
            if (absent(cronNode)) {
                problems.add(m, path + ".cron", "missing key 'cron', e.g. cron: \"0 2 * * *\"");
                return null;
            }
        } else {
            problems.add(node, path, "expected a mapping with cron, timezone and catch_up, found " + node.describe());
            return null;
        }
        ZoneId zone = Trigger.Schedule.DEFAULT_ZONE;
        boolean ok = true;
        if (!absent(zoneNode)) {
            String z = text(zoneNode, path + ".timezone");
            try {
                if (z != null) zone = CronSchedule.zone(path + ".timezone", z);
                else ok = false;
            } catch (CairnException e) {
                problems.add(zoneNode, path + ".timezone", "unknown time zone '" + z + "': expected "
                        + e.details().get("expected"));
                ok = false;
            }
        }
        String cron = text(cronNode, path + ".cron");
        if (cron == null) return null;
        try {
            CronSchedule.parse(cron, zone);
        } catch (CairnException e) {
            problems.add(cronNode, path + ".cron", e.getMessage());
            ok = false;
        }
        CatchUp catchUp = Trigger.Schedule.DEFAULT_CATCH_UP;
        if (!absent(catchUpNode)) {
            String c = text(catchUpNode, path + ".catch_up");
            try {
                if (c != null) catchUp = CatchUp.parse(path + ".catch_up", c);
            } catch (CairnException e) {
                problems.add(catchUpNode, path + ".catch_up", "'" + c + "' is not one of: " + CatchUp.labels());
                ok = false;
            }
        }
        return ok ? new Trigger.Schedule(cron, zone, catchUp) : null;
    }

    private Trigger data(YamlNode node, String path, Map<String, Draft> steps) {
        YamlNode sourceNode;
        YamlNode pollNode = null;
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            sourceNode = node; // data: read is data: {source: read}
        } else if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, DATA_KEYS, " for a data trigger");
            sourceNode = m.get("source");
            pollNode = m.get("poll");
            if (absent(sourceNode)) {
                problems.add(m, path + ".source", "missing key 'source': the id of the read step whose source is watched");
                return null;
            }
        } else {
            problems.add(node, path, "expected a mapping with source (a read step's id) and poll, found " + node.describe());
            return null;
        }
        String source = text(sourceNode, path + ".source");
        if (source == null) return null;
        boolean ok = true;
        Draft step = steps.get(source);
        List<String> reads = steps.values().stream().filter(d -> d.type() == StepType.READ).map(Draft::id).toList();
        String readList = reads.isEmpty() ? "the spec has no read step" : "read steps: " + String.join(", ", reads);
        if (step == null) {
            problems.add(sourceNode, path + ".source", "unknown step '" + source + "' (" + readList + ")");
            ok = false;
        } else if (step.type() != StepType.READ) {
            if (step.type() != null) problems.add(sourceNode, path + ".source", "step '" + source + "' is " + article(step.type())
                    + "; a data trigger watches a read step's source (" + readList + ")");
            ok = false;
        } else if (step.step().references().stream().anyMatch(r -> r.kind() == Reference.Kind.OUTPUT)) {
            problems.add(sourceNode, path + ".source", "step '" + source + "' reads what another step outputs; a data "
                    + "trigger watches a source known before the run (parameters and literals)");
            ok = false;
        }
        Duration poll = Trigger.DataChange.DEFAULT_POLL;
        if (!absent(pollNode)) {
            Duration d = duration(pollNode, path + ".poll");
            if (d != null && d.isZero()) {
                problems.add(pollNode, path + ".poll", "the poll interval must be longer than zero");
                ok = false;
            } else if (d != null) {
                poll = d;
            } else {
                ok = false;
            }
        }
        return ok ? new Trigger.DataChange(source, poll) : null;
    }

    private Trigger alert(YamlNode node, String path) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, path, "expected a mapping with deployment and rules, found " + node.describe());
            return null;
        }
        unknownKeys(m, path, ALERT_KEYS, " for an alert trigger");
        YamlNode deploymentNode = m.get("deployment");
        if (absent(deploymentNode)) {
            problems.add(m, path + ".deployment", "missing key 'deployment': the deployment whose alerts start a run");
            return null;
        }
        String deployment = text(deploymentNode, path + ".deployment");
        List<String> rules = new ArrayList<>();
        YamlNode rulesNode = m.get("rules");
        boolean ok = deployment != null;
        if (!absent(rulesNode)) {
            List<YamlNode> items = rulesNode instanceof YamlNode.Sequence s ? s.items() : List.of(rulesNode);
            for (YamlNode item : items) {
                String r = text(item, path + ".rules");
                if (r == null) ok = false;
                else rules.add(r);
            }
        }
        return ok ? new Trigger.Alert(deployment, rules) : null;
    }

    private Trigger manual(YamlNode node, String path) {
        if (absent(node)) return new Trigger.Manual();
        if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, List.of(), " for a manual trigger (it has no settings: write manual: {})");
            return m.entries().isEmpty() ? new Trigger.Manual() : null;
        }
        problems.add(node, path, "expected manual: {} (a manual trigger has no settings), found " + node.describe());
        return null;
    }

    // ---- scalars ------------------------------------------------------------------------------------------------

    private void unknownKeys(YamlNode.Mapping m, String path, List<String> allowed, String context) {
        for (YamlNode.Entry e : m.entries()) {
            if (allowed.contains(e.key())) continue;
            String keyPath = path.isEmpty() ? e.key() : path + "." + e.key();
            String hint = e.key().contains("-") && allowed.contains(e.key().replace('-', '_'))
                    ? "; did you mean '" + e.key().replace('-', '_') + "'?" : "";
            problems.add(e, keyPath, "unknown key '" + e.key() + "'" + context
                    + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")") + hint);
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

    private String optionalText(YamlNode node, String path) {
        return absent(node) ? null : text(node, path);
    }

    /** A scalar's text as written; a list, a mapping or a null is a problem (null returned). */
    private String text(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) return s.value() instanceof String str ? str : s.text();
        problems.add(node, path, "expected a text, found " + node.describe());
        return null;
    }

    private Long integer(YamlNode node, String path, long min, long max) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof Long n) {
            if (n >= min && n <= max) return n;
            problems.add(node, path, n + " is outside " + min + "-" + max);
            return null;
        }
        String range = min == Long.MIN_VALUE ? "" : " from " + min + " to " + max;
        problems.add(node, path, "expected a whole number" + range + ", found " + node.describe());
        return null;
    }

    private Boolean bool(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof Boolean b) return b;
        problems.add(node, path, "expected true or false, found " + node.describe());
        return null;
    }

    private Duration duration(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            Duration d = Durations.parse(s.text());
            if (d != null) return d;
        }
        problems.add(node, path, "expected " + Durations.EXPECTED + ", found " + node.describe());
        return null;
    }

    private static boolean absent(YamlNode node) {
        return node == null || node instanceof YamlNode.Scalar s && s.isNull();
    }

    private static String article(StepType type) {
        String label = type.label();
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label + " step";
    }
}

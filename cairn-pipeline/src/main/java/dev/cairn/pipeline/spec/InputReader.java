package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.yaml.YamlNode;
import dev.cairn.data.yaml.YamlProblems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a step's {@code with}: the keys its type takes, each value as its input's kind says, and every
 * {@code ${...}} reference with where it is written, for the checks that need every step first.
 */
final class InputReader extends NodeReader {

    InputReader(YamlProblems problems) {
        super(problems);
    }

    Map<String, Object> with(YamlNode.Mapping step, StepType type, String path, List<ReferenceSite> sites) {
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
            unknownKeys(m, withPath, type.keys(), " for " + NodeReader.article(type));
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
        List<String> required = type.inputs().stream().filter(StepType.Input::required).map(StepType.Input::key).toList();
        for (String key : missing) {
            YamlNode at = m == null ? step : m.entry(key) != null ? m.entry(key).value() : m;
            problems.add(at, withPath, "missing required key '" + key + "' for " + NodeReader.article(type) + " (required: "
                    + String.join(", ", required) + ")");
        }
        if (type == StepType.COMMAND && with.get("outputs") instanceof List<?> outputs) {
            commandOutputs(m.get("outputs"), outputs, withPath + ".outputs");
        }
        if (type == StepType.TRAIN || type == StepType.TUNE || type == StepType.EVALUATE) dataOrFeatures(step, m, type, withPath);
        return with;
    }

    /** A train or tune step reads data, or a feature service's training set for entity rows: one of the two. */
    private void dataOrFeatures(YamlNode.Mapping step, YamlNode.Mapping m, StepType type, String path) {
        boolean data = m != null && !absent(m.get("data"));
        boolean service = m != null && !absent(m.get("feature_service"));
        boolean entities = m != null && !absent(m.get("entities"));
        if (data && service) {
            problems.add(m.entry("feature_service").value(), path, "give 'data' or 'feature_service' (with 'entities'), not both");
        } else if (!data && !service) {
            problems.add(m == null ? step : m, path, "missing required key 'data' for " + NodeReader.article(type) + " (or 'feature_service' "
                    + "with 'entities': a point-in-time training set)");
        } else if (service && !entities) {
            problems.add(m.entry("feature_service").value(), path, "missing key 'entities' for 'feature_service': the entity rows "
                    + "(join keys, time and label) the training set is built for");
        } else if (entities && !service) {
            problems.add(m.entry("entities").value(), path + ".entities", "'entities' are the rows of a feature service's training set; "
                    + "give 'feature_service' too, or use 'data'");
        }
    }

    private void commandOutputs(YamlNode node, List<?> outputs, String path) {
        Set<String> seen = new LinkedHashSet<>();
        for (Object o : outputs) {
            String name = String.valueOf(o);
            if (!SpecParser.VARIABLE.matcher(name).matches()) {
                problems.add(node, path, "output name '" + name + "' is not valid: letters, digits and '_', not starting with a digit");
            } else if (!seen.add(name) || StepType.COMMAND.output(name) != null) {
                problems.add(node, path, "output '" + name + "' is declared twice (exit_code is always an output)");
            }
        }
    }

    /** A {@code with} value as its input's kind says; a value that is one whole reference is checked at run time. */
    private Object value(YamlNode node, StepType.Input input, String path, List<ReferenceSite> sites) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String str && Template.mayReference(str)) {
            Template t = template(str, node, path, sites);
            if (t == null) return null;
            if (t.hasReferences()) {
                // The referenced value replaces it whole, whatever its type: checked once the run resolves it.
                if (t.isSingleReference()) return str;
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
    Object natural(YamlNode node, String path, List<ReferenceSite> sites) {
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

    private Template template(String str, YamlNode node, String path, List<ReferenceSite> sites) {
        try {
            Template t = Template.parse(str);
            for (Reference r : t.references()) sites.add(new ReferenceSite(r, node, path));
            return t;
        } catch (CairnException e) {
            problems.add(node, path, e.getMessage());
            return null;
        }
    }
}

package dev.cairn.monitor.alert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link AlertRules} from YAML through the tree rather than data binding, so that every error can name
 * the YAML path of the bad value ({@code rules[2].comparison}) and unknown keys are refused with the allowed ones.
 */
final class AlertRulesYaml {
    static final List<String> TOP_KEYS = List.of("window", "rules", "webhooks");
    static final List<String> RULE_KEYS = List.of("name", "metric", "comparison", "threshold", "consecutive", "cooldown",
            "severity", "description");
    static final List<String> WEBHOOK_KEYS = List.of("url", "headers");
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private AlertRulesYaml() {}

    static AlertRules read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Alert file '" + file + "' does not exist",
                    Map.of("file", file.toString()));
        } catch (IOException e) {
            throw CairnException.invalid("file", file.toString(), "a readable UTF-8 YAML file (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    static AlertRules parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            String message = String.valueOf(e.getOriginalMessage());
            // comparison: >= unquoted is the likely mistake: '>' opens a folded block in YAML.
            String hint = message.contains("block scalar") ? " (quote comparisons: comparison: \">=\")" : "";
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Cannot read " + source + where + ": " + message + hint, Map.of("file", String.valueOf(source)), e);
        }
        try {
            return rules(root);
        } catch (CairnException e) {
            // The path names the value; the file is added here, once, for whoever reads the message.
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("file", String.valueOf(source));
            throw new CairnException(e.code(), e.getMessage() + " (in " + source + ")", details, e);
        }
    }

    private static AlertRules rules(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw CairnException.invalid("rules", null, "a YAML mapping with window, rules and webhooks");
        }
        if (!root.isObject()) throw CairnException.invalid("(document)", root.toString(), "a YAML mapping with " + TOP_KEYS);
        keys(root, "", TOP_KEYS);
        String window = present(root.get("window")) ? text(root.get("window"), "window") : AlertRules.DEFAULT_WINDOW;
        Duration length = Durations.parse("window", window);
        if (length.isZero()) throw CairnException.invalid("window", window, "a positive duration");

        JsonNode rulesNode = root.get("rules");
        if (!present(rulesNode) || !rulesNode.isArray()) {
            throw CairnException.invalid("rules", present(rulesNode) ? rulesNode.toString() : null, "a list of rules");
        }
        List<AlertRule> rules = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            String path = "rules[" + i + "]";
            AlertRule rule = rule(rulesNode.get(i), path);
            Integer first = names.putIfAbsent(rule.name(), i);
            if (first != null) throw CairnException.invalid(path + ".name", rule.name(), "a name no other rule has (rules[" + first + "] has it)");
            rules.add(rule);
        }

        List<Webhook> webhooks = new ArrayList<>();
        JsonNode hooks = root.get("webhooks");
        if (present(hooks)) {
            if (!hooks.isArray()) throw CairnException.invalid("webhooks", hooks.toString(), "a list of {url, headers}");
            for (int i = 0; i < hooks.size(); i++) webhooks.add(webhook(hooks.get(i), "webhooks[" + i + "]"));
        }
        return new AlertRules(window, rules, webhooks);
    }

    private static AlertRule rule(JsonNode node, String path) {
        if (!node.isObject()) throw CairnException.invalid(path, node.toString(), "a mapping with " + RULE_KEYS);
        keys(node, path + ".", RULE_KEYS);
        String name = text(required(node, path, "name"), path + ".name");
        AlertRule.checkName(path + ".name", name);
        String metric = text(required(node, path, "metric"), path + ".metric");
        AlertRule.checkMetric(path + ".metric", metric);
        Comparison comparison = Comparison.parse(path + ".comparison", text(required(node, path, "comparison"), path + ".comparison"));
        JsonNode t = required(node, path, "threshold");
        if (!t.isNumber()) throw CairnException.invalid(path + ".threshold", t.asText(), "a number");
        double threshold = t.asDouble();
        AlertRule.checkThreshold(path + ".threshold", threshold);

        int consecutive = AlertRule.DEFAULT_CONSECUTIVE;
        JsonNode c = node.get("consecutive");
        if (present(c)) {
            if (!c.isIntegralNumber() || !c.canConvertToLong()) {
                throw CairnException.invalid(path + ".consecutive", c.asText(), "a whole number of windows from 1 to " + AlertRule.MAX_CONSECUTIVE);
            }
            AlertRule.checkConsecutive(path + ".consecutive", c.asLong());
            consecutive = c.asInt();
        }
        Duration cooldown = present(node.get("cooldown"))
                ? Durations.parse(path + ".cooldown", text(node.get("cooldown"), path + ".cooldown"))
                : Duration.ZERO;
        AlertSeverity severity = present(node.get("severity"))
                ? AlertSeverity.parse(path + ".severity", text(node.get("severity"), path + ".severity"))
                : AlertRule.DEFAULT_SEVERITY;
        String description = present(node.get("description")) ? text(node.get("description"), path + ".description") : null;
        return new AlertRule(name, metric, comparison, threshold, consecutive, cooldown, severity, description);
    }

    private static Webhook webhook(JsonNode node, String path) {
        if (!node.isObject()) throw CairnException.invalid(path, node.toString(), "a mapping with " + WEBHOOK_KEYS);
        keys(node, path + ".", WEBHOOK_KEYS);
        String url = text(required(node, path, "url"), path + ".url");
        Webhook.checkUrl(path + ".url", url);
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = node.get("headers");
        if (present(h)) {
            if (!h.isObject()) throw CairnException.invalid(path + ".headers", h.toString(), "a mapping of header: value");
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = path + ".headers." + e.getKey();
                String value = present(e.getValue()) && e.getValue().isValueNode() ? e.getValue().asText() : null;
                Webhook.checkHeader(field, e.getKey(), value);
                headers.put(e.getKey(), value);
            }
        }
        return new Webhook(url, headers);
    }

    private static void keys(JsonNode node, String prefix, List<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) throw CairnException.invalid(prefix + key, key, "one of the keys " + allowed);
        }
    }

    private static JsonNode required(JsonNode node, String path, String key) {
        JsonNode value = node.get(key);
        if (!present(value)) throw CairnException.invalid(path + "." + key, null, "a value (" + key + " is required)");
        return value;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isMissingNode() && !node.isNull();
    }

    /** A scalar as text: YAML reads {@code name: 404} as a number, which is still a fine name. */
    private static String text(JsonNode node, String field) {
        if (!node.isValueNode()) throw CairnException.invalid(field, node.toString(), "a single value, not a list or mapping");
        return node.asText();
    }
}

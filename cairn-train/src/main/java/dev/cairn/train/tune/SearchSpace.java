package dev.cairn.train.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.core.error.CairnException;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.algorithm.ParameterSpec;
import dev.cairn.train.metrics.SelectionMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A tuning search space, read from YAML (see examples/credit-risk/space.yaml):
 * <pre>
 * algorithm: xgboost
 * strategy: grid            # grid | random | halving
 * metric: roc_auc           # or precision_at_recall:0.8, log_loss, rmse…
 * folds: 5
 * parallelism: 2
 * seed: 42
 * trials: 12                # random and halving: configurations sampled
 * fixed: {num_boost_round: 300}
 * params:
 *   max_depth: [2, 3, 4]                      # values
 *   eta: {min: 0.02, max: 0.3, log: true}     # a range (random and halving only)
 * halving: {min_rounds: 30, factor: 3}
 * </pre>
 * Every name and value is checked against the algorithm's parameters when the space is read.
 */
public record SearchSpace(Algorithm algorithm, String strategy, SelectionMetric metric, int folds, int parallelism,
                          long seed, int trials, Map<String, Object> fixed, List<Dimension> dimensions,
                          int halvingMinRounds, int halvingFactor) {

    public static final List<String> STRATEGIES = List.of("grid", "random", "halving");
    private static final Set<String> KEYS = Set.of("algorithm", "strategy", "metric", "folds", "parallelism", "seed",
            "trials", "fixed", "params", "halving");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public SearchSpace {
        fixed = Map.copyOf(fixed);
        dimensions = List.copyOf(dimensions);
    }

    public static SearchSpace read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw CairnException.invalid("space", file.toString(), "a readable YAML file (" + e.getMessage() + ")");
        }
    }

    public static SearchSpace parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw CairnException.invalid("space", source, "valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) throw CairnException.invalid("space", source, "a YAML mapping");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw CairnException.invalid("space." + key, key, "one of " + KEYS.stream().sorted().toList());
        }
        Algorithm algorithm = Algorithm.parse(text(root, "algorithm", "xgboost"));
        String strategy = text(root, "strategy", "grid").toLowerCase(Locale.ROOT);
        if (!STRATEGIES.contains(strategy)) throw CairnException.invalid("strategy", strategy, "one of " + STRATEGIES);
        SelectionMetric metric = SelectionMetric.parse(text(root, "metric", "roc_auc"));
        int folds = integer(root, "folds", 5, 2, 20);
        int parallelism = integer(root, "parallelism", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256);
        long seed = integer(root, "seed", 42, 0, Integer.MAX_VALUE);
        int trials = integer(root, "trials", 10, 1, 10_000);

        Map<String, Object> fixed = new LinkedHashMap<>();
        JsonNode fixedNode = root.path("fixed");
        if (!fixedNode.isMissingNode() && !fixedNode.isNull()) {
            if (!fixedNode.isObject()) throw CairnException.invalid("fixed", fixedNode.toString(), "a mapping of parameter: value");
            fixedNode.fields().forEachRemaining(e -> fixed.put(e.getKey(), algorithm.spec(e.getKey()).parse(scalar(e.getValue()))));
        }
        List<Dimension> dimensions = new ArrayList<>();
        JsonNode params = root.path("params");
        if (!params.isObject() || params.isEmpty()) {
            throw CairnException.invalid("params", params.isMissingNode() ? null : params.toString(), "a mapping of searched parameters");
        }
        params.fields().forEachRemaining(e -> dimensions.add(dimension(algorithm, strategy, e.getKey(), e.getValue())));
        for (Dimension d : dimensions) {
            if (fixed.containsKey(d.name())) throw CairnException.invalid("params." + d.name(), d.name(), "a parameter either fixed or searched, not both");
        }
        JsonNode halving = root.path("halving");
        int minRounds = integer(halving, "min_rounds", 20, 1, 100_000);
        int factor = integer(halving, "factor", 3, 2, 100);
        if (strategy.equals("halving") && algorithm == Algorithm.BASELINE) {
            throw CairnException.invalid("strategy", "halving", "grid or random for the baseline, which has no rounds");
        }
        // The resolved fixed parameters must themselves be valid together with defaults.
        algorithm.resolve(fixed);
        return new SearchSpace(algorithm, strategy, metric, folds, parallelism, seed, trials, fixed, dimensions, minRounds, factor);
    }

    private static Dimension dimension(Algorithm algorithm, String strategy, String name, JsonNode node) {
        ParameterSpec spec = algorithm.spec(name);
        if (node.isArray()) {
            List<Object> values = new ArrayList<>();
            node.forEach(v -> values.add(spec.parse(scalar(v))));
            if (values.isEmpty()) throw CairnException.invalid("params." + name, "[]", "at least one value");
            return new Dimension.Choice(name, values);
        }
        if (node.isObject() && node.has("values")) {
            return dimension(algorithm, strategy, name, node.get("values"));
        }
        if (node.isObject() && node.has("min") && node.has("max")) {
            if (strategy.equals("grid")) {
                throw CairnException.invalid("params." + name, node.toString(), "a list of values for grid search (ranges need random or halving)");
            }
            if (spec.kind() == ParameterSpec.Kind.CHOICE) throw CairnException.invalid("params." + name, node.toString(), "a list of " + spec.allowed());
            double min = ((Number) spec.parse(scalar(node.get("min")))).doubleValue();
            double max = ((Number) spec.parse(scalar(node.get("max")))).doubleValue();
            boolean log = node.path("log").asBoolean(false);
            if (min > max) throw CairnException.invalid("params." + name + ".max", max, "a number at least min (" + min + ")");
            if (log && min <= 0) throw CairnException.invalid("params." + name + ".min", min, "a positive number for a log range");
            return new Dimension.Range(name, min, max, log, spec.kind() == ParameterSpec.Kind.INTEGER);
        }
        if (node.isValueNode()) return new Dimension.Choice(name, List.of(spec.parse(scalar(node))));
        throw CairnException.invalid("params." + name, node.toString(), "a list of values or {min, max, log}");
    }

    private static Object scalar(JsonNode v) {
        if (v.isNumber()) return v.numberValue();
        if (v.isValueNode()) return v.asText();
        throw CairnException.invalid("value", v.toString(), "a number or a string");
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode n = root.path(key);
        return n.isMissingNode() || n.isNull() ? fallback : n.asText();
    }

    private static int integer(JsonNode root, String key, long fallback, long min, long max) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) return (int) fallback;
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw CairnException.invalid(key, n.asText(), "an integer in [" + min + ", " + max + "]");
        }
        return (int) n.asLong();
    }

    /** The number of grid points (the product of the value counts). */
    public long gridSize() {
        long n = 1;
        for (Dimension d : dimensions) n *= d instanceof Dimension.Choice c ? c.values().size() : 1;
        return n;
    }
}

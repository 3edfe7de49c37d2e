package dev.cairn.store.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.BatchLimits;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of what clients log, with MLflow's limits and wording (mlflow/utils/validation.py), so
 * that MLflow clients see the errors they expect.
 */
public final class Validation {

    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_MODEL_REGISTRY_TAG_KEY_LENGTH = 250;
    public static final int MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH = 100_000;
    public static final int MAX_DATASET_NAME_SIZE = 500;
    public static final int MAX_DATASET_DIGEST_SIZE = 36;
    public static final int MAX_DATASET_SCHEMA_SIZE = 1_048_575;
    public static final int MAX_DATASET_SOURCE_SIZE = 65_535;
    public static final int MAX_DATASET_PROFILE_SIZE = 16_777_215;
    public static final int MAX_INPUT_TAG_KEY_SIZE = 255;
    public static final int MAX_INPUT_TAG_VALUE_SIZE = 500;
    public static final int MAX_REGISTERED_MODEL_ALIAS_LENGTH = 255;
    public static final int SEARCH_MAX_RESULTS_THRESHOLD = 50_000;

    private static final Pattern VALID_NAME = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String BAD_CHARACTERS =
            "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";

    private Validation() {}

    static CairnException invalid(String message, Map<String, Object> details) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message, details);
    }

    /** A metric, param or tag name: MLflow's characters, and no name that a path would normalise to another. */
    public static void name(String entity, String name) {
        String field = entity.toLowerCase(java.util.Locale.ROOT) + "_name";
        if (name == null || name.isEmpty()) {
            throw invalid(entity + " name cannot be empty. A key name must be provided.", Map.of("field", field, "value", "", "expected", "a non-empty name"));
        }
        if (!VALID_NAME.matcher(name).matches()) {
            throw invalid("Invalid " + entity.toLowerCase(java.util.Locale.ROOT) + " name: '" + name + "'. " + BAD_CHARACTERS,
                    Map.of("field", field, "value", name, "expected", BAD_CHARACTERS));
        }
        if (!name.equals(normalizePath(name)) || name.equals(".") || name.startsWith("..") || name.startsWith("/")) {
            String message = "Invalid " + entity.toLowerCase(java.util.Locale.ROOT) + " name: '" + name
                    + "'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such."
                    + " This name would resolve to '" + normalizePath(name) + "'";
            throw invalid(message, Map.of("field", field, "value", name, "expected", "a name that does not change when treated as a path"));
        }
    }

    /** posixpath.normpath, for the names MLflow refuses because they would resolve to another. */
    static String normalizePath(String path) {
        if (path.isEmpty()) return ".";
        boolean absolute = path.startsWith("/");
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && absolute)) {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        if (absolute) return "/" + joined;
        return joined.isEmpty() ? "." : joined;
    }

    public static void length(String entity, int limit, String value) {
        if (value != null && value.length() > limit) {
            String shown = value.length() > 250 ? value.substring(0, 250) : value;
            throw invalid(entity + " '" + shown + "' had length " + value.length() + ", which exceeded length limit of " + limit,
                    Map.of("field", entity, "value", shown, "expected", "at most " + limit + " characters"));
        }
    }

    /** Everything logBatch checks before it touches the database. */
    static void batch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        BatchLimits.check(metrics.size(), params.size(), tags.size());
        Set<String> checkedKeys = new HashSet<>();
        for (Metric metric : metrics) {
            // A batch usually repeats a few keys many times: check each name once.
            if (metric != null && checkedKeys.contains(metric.key())) {
                timestamp(metric);
            } else {
                metric(metric);
                checkedKeys.add(metric.key());
            }
        }
        Set<String> seen = new HashSet<>();
        for (Param param : params) {
            param(param);
            if (!seen.add(param.key())) {
                throw invalid("Duplicate parameter keys have been submitted: ['" + param.key()
                                + "']. Please ensure the request contains only one param value per param key.",
                        Map.of("field", "params", "value", param.key(), "expected", "one value per param key"));
            }
        }
        for (Tag tag : tags) runTag(tag);
    }

    static void metric(Metric metric) {
        if (metric == null) throw invalid("A metric cannot be null", Map.of("field", "metrics", "value", "null", "expected", "a metric"));
        name("Metric", metric.key());
        length("Metric name", MAX_ENTITY_KEY_LENGTH, metric.key());
        timestamp(metric);
    }

    private static void timestamp(Metric metric) {
        if (metric.timestamp() < 0) {
            throw invalid("Got invalid timestamp " + metric.timestamp() + " for metric '" + metric.key() + "' (value="
                            + metric.value() + "). Timestamp must be a nonnegative long (64-bit integer) ",
                    Map.of("field", "timestamp", "value", metric.timestamp(), "expected", "a nonnegative long"));
        }
    }

    static void param(Param param) {
        if (param == null) throw invalid("A param cannot be null", Map.of("field", "params", "value", "null", "expected", "a param"));
        name("Param", param.key());
        length("Param key", MAX_ENTITY_KEY_LENGTH, param.key());
        if (param.value() == null) {
            throw invalid("Param '" + param.key() + "' has no value", Map.of("field", "params." + param.key(), "value", "null", "expected", "a string"));
        }
        length("Param value", MAX_PARAM_VAL_LENGTH, param.value());
    }

    static void runTag(Tag tag) {
        if (tag == null) throw invalid("A tag cannot be null", Map.of("field", "tags", "value", "null", "expected", "a tag"));
        name("Tag", tag.key());
        length("Tag key", MAX_ENTITY_KEY_LENGTH, tag.key());
        length("Tag value", MAX_TAG_VAL_LENGTH, tag.value());
    }

    static void experimentTag(Tag tag) {
        if (tag == null) throw invalid("A tag cannot be null", Map.of("field", "tags", "value", "null", "expected", "a tag"));
        name("Tag", tag.key());
        length("Tag key", MAX_EXPERIMENT_TAG_KEY_LENGTH, tag.key());
        length("Tag value", MAX_EXPERIMENT_TAG_VAL_LENGTH, tag.value());
    }

    static void experimentName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("Invalid experiment name: '" + (name == null ? "" : name) + "'",
                    Map.of("field", "name", "value", String.valueOf(name), "expected", "a non-empty name"));
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw invalid("Experiment name exceeds the maximum length of " + MAX_EXPERIMENT_NAME_LENGTH + " characters",
                    Map.of("field", "name", "value", name.substring(0, 250), "expected", "at most " + MAX_EXPERIMENT_NAME_LENGTH + " characters"));
        }
    }

    public static void maxResults(int maxResults, int threshold) {
        if (maxResults < 1 || maxResults > threshold) {
            throw CairnException.invalid("max_results", maxResults, "a number from 1 to " + threshold);
        }
    }
}

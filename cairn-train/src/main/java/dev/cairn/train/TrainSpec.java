package dev.cairn.train;

import dev.cairn.core.error.CairnException;
import dev.cairn.runtime.pkg.InputPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training: which data and label, which algorithm with which parameters, how to split, and
 * where to record it. {@code drop} lists columns that are not features (ids, leaks); {@code task}
 * and {@code positiveClass} may be null to infer them. {@code schema} (may be null) is a reviewed
 * cairn-data YAML spec whose fields become the model signature's (see
 * {@link dev.cairn.train.features.ReviewedSchema}). Build with {@link #of} and the withers.
 */
public record TrainSpec(Path data, String label, List<String> drop, String algorithm, Map<String, String> params,
                        String task, String positiveClass, SplitSpec split, String experiment, String runName,
                        Map<String, String> tags, Path schema, InputPolicy inputPolicy) {

    public static final String DEFAULT_EXPERIMENT = "Default";

    public TrainSpec {
        if (data == null) throw CairnException.invalid("data", null, "a data file");
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the name of the label column");
        drop = drop == null ? List.of() : List.copyOf(drop);
        algorithm = algorithm == null ? "xgboost" : algorithm;
        params = params == null ? Map.of() : Map.copyOf(params);
        split = split == null ? SplitSpec.defaults() : split;
        experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static TrainSpec of(Path data, String label) {
        return new TrainSpec(data, label, null, null, null, null, null, null, null, null, null, null, null);
    }

    public TrainSpec withAlgorithm(String algorithm) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withParams(Map<String, String> params) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withParam(String key, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, String.valueOf(value));
        return withParams(p);
    }

    public TrainSpec withDrop(List<String> drop) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withTask(String task, String positiveClass) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withSplit(SplitSpec split) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withExperiment(String experiment) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withRunName(String runName) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    public TrainSpec withTags(Map<String, String> tags) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    /** Makes the reviewed data schema at {@code schema} the model signature's source (null: none). */
    public TrainSpec withSchema(Path schema) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }

    /**
     * What the signature does with a category outside a field's domain or a number outside its range;
     * null for the default: refuse both under a reviewed schema, and for a signature inferred from the
     * training rows refuse unseen categories and warn on numbers outside the observed range.
     */
    public TrainSpec withInputPolicy(InputPolicy inputPolicy) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy);
    }
}

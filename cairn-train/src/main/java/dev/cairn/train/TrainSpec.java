package dev.cairn.train;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.DatasetInput;
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
 * {@link dev.cairn.train.features.ReviewedSchema}). {@code inputs} are further dataset inputs the run records (see
 * {@link #withInputs}). Build with {@link #of} and the withers.
 */
public record TrainSpec(Path data, String label, List<String> drop, String algorithm, Map<String, String> params,
                        String task, String positiveClass, SplitSpec split, String experiment, String runName,
                        Map<String, String> tags, Path schema, InputPolicy inputPolicy, List<DatasetInput> inputs) {

    public static final String DEFAULT_EXPERIMENT = "Default";

    /** Without further dataset inputs: what the training reads is {@code data} alone. */
    public TrainSpec(Path data, String label, List<String> drop, String algorithm, Map<String, String> params, String task,
                     String positiveClass, SplitSpec split, String experiment, String runName, Map<String, String> tags, Path schema,
                     InputPolicy inputPolicy) {
        this(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, null);
    }

    public TrainSpec {
        if (data == null) throw CairnException.invalid("data", null, "a data file");
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the name of the label column");
        drop = drop == null ? List.of() : List.copyOf(drop);
        algorithm = algorithm == null ? "xgboost" : algorithm;
        params = params == null ? Map.of() : Map.copyOf(params);
        split = split == null ? SplitSpec.defaults() : split;
        experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    public static TrainSpec of(Path data, String label) {
        return new TrainSpec(data, label, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public TrainSpec withAlgorithm(String algorithm) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withParams(Map<String, String> params) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withParam(String key, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, String.valueOf(value));
        return withParams(p);
    }

    public TrainSpec withDrop(List<String> drop) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withTask(String task, String positiveClass) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withSplit(SplitSpec split) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withExperiment(String experiment) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withRunName(String runName) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TrainSpec withTags(Map<String, String> tags) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    /** Makes the reviewed data schema at {@code schema} the model signature's source (null: none). */
    public TrainSpec withSchema(Path schema) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    /**
     * What the signature does with a category outside a field's domain or a number outside its range;
     * null for the default: refuse both under a reviewed schema, and for a signature inferred from the
     * training rows refuse unseen categories and warn on numbers outside the observed range.
     */
    public TrainSpec withInputPolicy(InputPolicy inputPolicy) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    /**
     * Further dataset inputs recorded on the run beside {@code data} (whose own input is recorded with context
     * {@code training}): e.g. the feature views a training set was built from, so a run says what it was made of.
     */
    public TrainSpec withInputs(List<DatasetInput> inputs) {
        return new TrainSpec(data, label, drop, algorithm, params, task, positiveClass, split, experiment, runName, tags, schema, inputPolicy, inputs);
    }
}

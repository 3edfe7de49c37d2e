package dev.cairn.train;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.train.tune.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One tuning: the data and label, the search space, and how the held-out rows are split off
 * ({@code split}: the validation part is the test set the tuned model is finally scored on; the
 * folds are cut from the training part). {@code parallelism} null keeps the space's;
 * {@code schema} (may be null) is the reviewed data schema the tuned model's signature follows.
 */
public record TuneSpec(Path data, String label, List<String> drop, String task, String positiveClass, SplitSpec split,
                       SearchSpace space, Integer parallelism, String experiment, String runName, Map<String, String> tags,
                       Path schema, InputPolicy inputPolicy, List<DatasetInput> inputs) {

    /** Without further dataset inputs: what the tuning reads is {@code data} alone. */
    public TuneSpec(Path data, String label, List<String> drop, String task, String positiveClass, SplitSpec split, SearchSpace space,
                    Integer parallelism, String experiment, String runName, Map<String, String> tags, Path schema,
                    InputPolicy inputPolicy) {
        this(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, null);
    }

    public TuneSpec {
        if (data == null) throw CairnException.invalid("data", null, "a data file");
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the name of the label column");
        if (space == null) throw CairnException.invalid("space", null, "a search space");
        if (parallelism != null && (parallelism < 1 || parallelism > 256)) {
            throw CairnException.invalid("parallelism", parallelism, "an integer in [1, 256]");
        }
        drop = drop == null ? List.of() : List.copyOf(drop);
        split = split == null ? SplitSpec.defaults() : split;
        experiment = experiment == null || experiment.isBlank() ? TrainSpec.DEFAULT_EXPERIMENT : experiment;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    public static TuneSpec of(Path data, String label, SearchSpace space) {
        return new TuneSpec(data, label, null, null, null, null, space, null, null, null, null, null, null, null);
    }

    public TuneSpec withDrop(List<String> drop) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withParallelism(Integer parallelism) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withExperiment(String experiment) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withSplit(SplitSpec split) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withTask(String task, String positiveClass) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withRunName(String runName) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public TuneSpec withSchema(Path schema) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    /**
     * What the signature does with a category outside a field's domain or a number outside its range;
     * null for the default: refuse both under a reviewed schema, and for a signature inferred from the
     * training rows refuse unseen categories and warn on numbers outside the observed range.
     */
    public TuneSpec withInputPolicy(InputPolicy inputPolicy) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    /** Further dataset inputs recorded on the tuning run (the parent) beside {@code data}; see {@link TrainSpec#withInputs}. */
    public TuneSpec withInputs(List<DatasetInput> inputs) {
        return new TuneSpec(data, label, drop, task, positiveClass, split, space, parallelism, experiment, runName, tags, schema, inputPolicy, inputs);
    }

    public int effectiveParallelism() {
        return parallelism != null ? parallelism : space.parallelism();
    }

    /** The training spec the tuned model is finally trained with. */
    public TrainSpec trainSpec(Map<String, String> params) {
        return new TrainSpec(data, label, drop, space.algorithm().wireName(), params, task, positiveClass, split,
                experiment, runName, tags, schema, inputPolicy, inputs);
    }
}

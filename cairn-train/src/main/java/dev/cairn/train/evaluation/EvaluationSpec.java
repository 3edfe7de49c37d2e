package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import java.nio.file.Path;
import java.util.List;

/**
 * One evaluation: which model ({@code models:/credit-risk/3}, {@code models:/credit-risk@challenger},
 * {@code runs:/<run>/model} or a package path), on which labelled data, against the version holding
 * {@code against} (default {@code champion}) of {@code registeredModel} (default: the candidate's
 * own registered model). {@code businessMetric} is the headline metric (bootstrap interval, first in
 * the report); {@code thresholdTarget} chooses the decision threshold (e.g. {@code recall@precision>=0.8});
 * {@code thresholds} decide the verdict ({@code roc_auc>=0.75}, {@code change:precision>=-0.01},
 * {@code fairness:disparate_impact>=0.8}); {@code slices} and {@code sensitive} are column specs
 * ({@code purpose}, {@code age:25,40,60}); {@code minGroupSize} (default 30) is the fewest rows a
 * sensitive group needs to count in the fairness gaps. Build with {@link #of} and the withers.
 */
public record EvaluationSpec(String model, Path data, String label, String positiveClass, String registeredModel,
                             String against, String businessMetric, String thresholdTarget, List<String> thresholds,
                             List<String> slices, List<String> sensitive, String experiment, long seed, Integer minGroupSize) {
    public static final String DEFAULT_ALIAS = "champion";
    public static final String DEFAULT_EXPERIMENT = "evaluations";

    public EvaluationSpec {
        if (model == null || model.isBlank()) throw CairnException.invalid("model", model, "a model URI or package path");
        if (data == null) throw CairnException.invalid("data", null, "an evaluation data file");
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the name of the label column");
        against = against == null || against.isBlank() ? DEFAULT_ALIAS : against;
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
        slices = slices == null ? List.of() : List.copyOf(slices);
        sensitive = sensitive == null ? List.of() : List.copyOf(sensitive);
        experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment;
        minGroupSize = minGroupSize == null ? Fairness.DEFAULT_MIN_GROUP_SIZE : minGroupSize;
        if (minGroupSize < 1) throw CairnException.invalid("min_group_size", minGroupSize, "a number of rows of at least 1");
    }

    public static EvaluationSpec of(String model, Path data, String label) {
        return new EvaluationSpec(model, data, label, null, null, null, null, null, null, null, null, null, 42, null);
    }

    public EvaluationSpec withPositiveClass(String positiveClass) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec against(String registeredModel, String alias) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, alias, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withBusinessMetric(String businessMetric) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withThresholdTarget(String thresholdTarget) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withThresholds(List<String> thresholds) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withSlices(List<String> slices) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withSensitive(List<String> sensitive) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withExperiment(String experiment) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    /** Groups of a sensitive column with fewer rows are reported as too small and left out of the fairness gaps. */
    public EvaluationSpec withMinGroupSize(int minGroupSize) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }

    public EvaluationSpec withSeed(long seed) {
        return new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric, thresholdTarget, thresholds, slices, sensitive, experiment, seed, minGroupSize);
    }
}

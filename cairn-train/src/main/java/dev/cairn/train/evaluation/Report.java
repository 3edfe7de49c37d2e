package dev.cairn.train.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What an evaluation found, as stored in {@code evaluation/report.json} and rendered into
 * {@code evaluation/report.html}: the data, the candidate's and the champion's results on it, and
 * the verdict.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(String runId, String createdAt, DataInfo data, String businessMetric, ModelResult candidate,
                     ModelResult champion, Verdict verdict) {

    /** The evaluation data: file, SHA-256, rows, label and (binary) positive class. */
    public record DataInfo(String path, String sha256, long rows, String label, String positiveClass) {}

    /** One model's results on the evaluation data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelResult(String modelUri, String registeredName, Long version, String source, String flavor, String task,
                              String positiveClass, Double threshold, String thresholdSource,
                              Map<String, Double> metrics, Map<String, Bootstrap.Interval> intervals,
                              BinaryMetrics.Confusion confusion, Curves curves, List<Slice> slices,
                              List<FairnessReport> fairness, List<Importance> importance) {}

    /** Curves of a binary classifier, thinned to at most a few hundred points. */
    public record Curves(List<double[]> roc, List<double[]> precisionRecall, List<BinaryMetrics.CalibrationBin> calibration) {}

    /** The metrics of every group of one column. */
    public record Slice(String column, List<SliceRow> rows) {}

    public record SliceRow(String group, long count, Long positives, Map<String, Double> metrics) {}

    /**
     * Group rates of one sensitive column and the gaps between its groups of at least
     * {@code minGroupSize} rows; a gap is null when it cannot be measured, and {@code note} says why.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FairnessReport(String column, List<FairnessGroup> groups, Double demographicParityDifference,
                                 Double equalOpportunityDifference, Double disparateImpactRatio,
                                 boolean fourFifthsRuleViolated, String lowestSelectionGroup, String highestSelectionGroup,
                                 Integer minGroupSize, String note) {}

    /** One group's rates; {@code tooSmall} when it has fewer rows than the minimum and is left out of the gaps. */
    public record FairnessGroup(String group, long count, long positives, double selectionRate, double truePositiveRate,
                                double falsePositiveRate, double precision, boolean tooSmall) {}

    /**
     * How much the model leans on one input: XGBoost's total gain (null for other flavors), the drop
     * of the permutation metric when the input is shuffled (mean and standard deviation over
     * repeats), and the mean absolute per-prediction contribution (TreeSHAP or coefficient × value).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Importance(String input, Double gain, double permutation, double permutationStd, Double meanAbsContribution) {}
}

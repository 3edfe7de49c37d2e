package dev.cairn.monitor;

/**
 * The names of window metrics: the vocabulary alert rules, gauges, the REST API and the report share.
 * Per-feature names put the feature between the prefix and the suffix, e.g. {@code drift.credit_amount}
 * is the drift test's value for {@code credit_amount} (a p-value or a distance, as the test reports it)
 * and {@code drift.credit_amount.drifted} is 1 when that test flags drift, else 0.
 */
public final class MetricNames {
    private MetricNames() {}

    /** Rows scored (a request may carry several rows). */
    public static final String ROWS = "volume.rows";
    /** Requests answered, and those refused for bad input (HTTP 4xx) with their share of all requests. */
    public static final String REQUESTS = "volume.requests";
    public static final String REFUSED = "volume.refused";
    public static final String REFUSED_RATE = "volume.refused_rate";

    public static final String LATENCY_P50 = "latency.p50_ms";
    public static final String LATENCY_P95 = "latency.p95_ms";
    public static final String LATENCY_P99 = "latency.p99_ms";

    /** Share of the model's input features whose drift test flags drift. */
    public static final String DRIFT_SHARE = "drift.share";
    public static final String DRIFT_PREFIX = "drift.";
    public static final String DRIFTED_SUFFIX = ".drifted";

    /** Drift of the model's score (positive-class probability, or the value for regression) and of the predicted label. */
    public static final String PREDICTION_DRIFT_SCORE = "prediction_drift.score";
    public static final String PREDICTION_DRIFT_LABEL = "prediction_drift.label";

    /** Mean PCA reconstruction error of the window's rows (NannyML's multivariate drift), and its bounds from the reference. */
    public static final String RECONSTRUCTION_ERROR = "multivariate.reconstruction_error";
    public static final String RECONSTRUCTION_DRIFTED = "multivariate.drifted";

    /** Shares of input cells (rows x features) that were missing, outside the signature's range, unseen categories, or of the wrong type. */
    public static final String MISSING_RATE = "quality.missing_rate";
    public static final String OUT_OF_RANGE_RATE = "quality.out_of_range_rate";
    public static final String UNSEEN_RATE = "quality.unseen_rate";
    public static final String TYPE_ERROR_RATE = "quality.type_error_rate";

    /** Realized performance (labels joined), as {@code realized.precision}, {@code realized.roc_auc}, {@code realized.rmse}… */
    public static final String REALIZED_PREFIX = "realized.";
    /** Estimated performance before labels (CBPE), as {@code estimated.precision} with {@code .lower}/{@code .upper}. */
    public static final String ESTIMATED_PREFIX = "estimated.";
    public static final String LOWER_SUFFIX = ".lower";
    public static final String UPPER_SUFFIX = ".upper";
    /** Share of the window's rows that have a label, and the median hours from prediction to label. */
    public static final String LABEL_COVERAGE = "labels.coverage";
    public static final String LABEL_LAG_HOURS = "labels.lag_hours";

    public static String drift(String feature) {
        return DRIFT_PREFIX + feature;
    }

    public static String drifted(String feature) {
        return DRIFT_PREFIX + feature + DRIFTED_SUFFIX;
    }

    public static String realized(String metric) {
        return REALIZED_PREFIX + metric;
    }

    public static String estimated(String metric) {
        return ESTIMATED_PREFIX + metric;
    }
}

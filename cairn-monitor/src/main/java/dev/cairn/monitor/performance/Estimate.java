package dev.cairn.monitor.performance;

import dev.cairn.monitor.MetricNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A window's estimated performance ({@link Cbpe}): each metric's point estimate with the interval the
 * realized value is expected in, over {@code rows} rows. A metric that the window cannot define
 * (precision without predicted positives, ROC AUC without expected positives or negatives) is absent,
 * never NaN; an empty window has no metrics.
 *
 * <p>JSON: {@code {"rows":500,"metrics":{"precision":{"value":0.71,"lower":0.65,"upper":0.77},…}}}.
 */
public record Estimate(long rows, Map<String, Interval> metrics) {
    public Estimate {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A point estimate and its interval; {@code lower <= value <= upper}. */
    public record Interval(double value, double lower, double upper) {}

    public static Estimate empty() {
        return new Estimate(0, Map.of());
    }

    /** The metric's interval, or null when the window has none. */
    public Interval get(String metric) {
        return metrics.get(metric);
    }

    /**
     * The window-metric form: {@code prefix + name} for the value and {@code .lower} / {@code .upper}
     * ({@link MetricNames#LOWER_SUFFIX}, {@link MetricNames#UPPER_SUFFIX}) for the bounds, e.g.
     * {@code estimated.precision}, {@code estimated.precision.lower}, {@code estimated.precision.upper}.
     */
    public Map<String, Double> flatten(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, interval) -> {
            out.put(prefix + name, interval.value());
            out.put(prefix + name + MetricNames.LOWER_SUFFIX, interval.lower());
            out.put(prefix + name + MetricNames.UPPER_SUFFIX, interval.upper());
        });
        return out;
    }

    /** {@link #flatten(String)} with {@link MetricNames#ESTIMATED_PREFIX}. */
    public Map<String, Double> flatten() {
        return flatten(MetricNames.ESTIMATED_PREFIX);
    }
}

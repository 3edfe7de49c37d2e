package dev.cairn.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One window's numbers for one deployment and model version, by metric name ({@link MetricNames}):
 * what alert rules compare, what the Prometheus gauges show, what the report charts over windows.
 * A metric that could not be computed in this window (no labels yet, too few rows) is absent, never NaN.
 */
public record WindowMetrics(String deployment, String model, String modelVersion, Instant start, Instant end,
                            Map<String, Double> values) {
    public WindowMetrics {
        TreeMap<String, Double> sorted = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) sorted.put(k, v);
        });
        values = java.util.Collections.unmodifiableMap(sorted);
    }

    /** The value of {@code metric}, or null when this window has none. */
    public Double get(String metric) {
        return values.get(metric);
    }
}

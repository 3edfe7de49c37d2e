package dev.cairn.data.history;

import java.util.List;
import java.util.Map;

/**
 * Metrics of earlier validations of one dataset, as Deequ's metrics repository: checks of kind
 * {@code metric_change} compare today's value with them, and every validation adds its own.
 */
public interface MetricsHistory {

    /** The most recent {@code count} values of a metric, oldest first; empty when there are none. */
    List<Double> recent(String key, int count);

    void record(Map<String, Double> metrics, long timestamp);

    MetricsHistory NONE = new MetricsHistory() {
        @Override
        public List<Double> recent(String key, int count) {
            return List.of();
        }

        @Override
        public void record(Map<String, Double> metrics, long timestamp) {
            // Nothing is kept.
        }
    };
}

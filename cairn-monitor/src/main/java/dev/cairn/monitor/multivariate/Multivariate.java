package dev.cairn.monitor.multivariate;

import dev.cairn.monitor.MonitoredModel;
import java.util.Map;

/** Multivariate drift (PCA reconstruction error) of a window, from the model's multivariate reference. */
public final class Multivariate {
    private Multivariate() {}

    /** SQL for a flattened row's reconstruction error over the typed input columns, or null when the model has no multivariate reference. */
    public static String errorSql(MonitoredModel model) {
        return null;
    }

    /** The window's reconstruction-error metrics from its mean error. */
    public static Map<String, Double> metrics(MonitoredModel model, double meanError) {
        return Map.of();
    }
}

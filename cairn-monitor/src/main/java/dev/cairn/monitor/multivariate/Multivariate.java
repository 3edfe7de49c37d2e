package dev.cairn.monitor.multivariate;

import dev.cairn.data.drift.MultivariateResult;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.drift.ReconstructionModel;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.MonitoredModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multivariate drift of a window (NannyML's data reconstruction drift): each scored row's PCA
 * reconstruction error is computed in the same DuckDB scan that flattens the window
 * ({@link #errorSql}), the window's mean error is kept in its mergeable profile, and the mean is judged
 * against the bounds the training data's chunks gave ({@link #metrics}).
 */
public final class Multivariate {
    private static final Map<String, ReconstructionModel> PARSED = new ConcurrentHashMap<>();

    private Multivariate() {}

    private static ReconstructionModel model(MonitoredModel model) {
        return model.multivariateJson() == null ? null : PARSED.computeIfAbsent(model.multivariateJson(), ReconstructionModel::fromJson);
    }

    /** SQL for a flattened row's reconstruction error over its typed input columns, or null when the model has no multivariate reference. */
    public static String errorSql(MonitoredModel model) {
        ReconstructionModel m = model(model);
        if (m == null) return null;
        Map<String, Boolean> categorical = new LinkedHashMap<>();
        for (ReconstructionModel.Feature f : m.features()) categorical.put(f.name(), f instanceof ReconstructionModel.Categorical);
        return ReconstructionDrift.errorSql(m, name -> Boolean.TRUE.equals(categorical.get(name))
                ? "CAST(" + Sql.identifier(name) + " AS VARCHAR)" : Sql.identifier(name));
    }

    /** The window's mean reconstruction error with the reference's bounds, and whether it is outside them. */
    public static Map<String, Double> metrics(MonitoredModel model, double meanError, long rows) {
        ReconstructionModel m = model(model);
        if (m == null) return Map.of();
        MultivariateResult r = ReconstructionDrift.evaluate(m, meanError, rows);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricNames.RECONSTRUCTION_ERROR, r.value());
        out.put(MetricNames.RECONSTRUCTION_ERROR + MetricNames.LOWER_SUFFIX, r.lower());
        out.put(MetricNames.RECONSTRUCTION_ERROR + MetricNames.UPPER_SUFFIX, r.upper());
        out.put(MetricNames.RECONSTRUCTION_DRIFTED, r.drifted() ? 1.0 : 0.0);
        return out;
    }
}

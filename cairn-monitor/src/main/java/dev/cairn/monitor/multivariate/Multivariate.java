package dev.cairn.monitor.multivariate;

import dev.cairn.data.drift.MultivariateResult;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.drift.ReconstructionModel;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.MonitoredModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Multivariate drift of a window (NannyML's data reconstruction drift): each scored row's PCA
 * reconstruction error is computed in the same DuckDB scan that flattens the window
 * ({@link #withError}), the window's mean error is kept in its mergeable profile, and the mean is judged
 * against the bounds the training data's chunks gave ({@link #metrics}).
 */
public final class Multivariate {
    private static final Map<String, ReconstructionModel> PARSED = new ConcurrentHashMap<>();

    private Multivariate() {}

    private static ReconstructionModel model(MonitoredModel model) {
        return model.multivariateJson() == null ? null : PARSED.computeIfAbsent(model.multivariateJson(), ReconstructionModel::fromJson);
    }

    /**
     * {@code relation} (SQL of a relation with the typed input columns) with each row's reconstruction error added as
     * column {@code name}, or null when the model has no multivariate reference. The same number, bit for bit, as
     * {@link ReconstructionDrift#errorSql} over the same columns: the same IEEE operations in the same order, with
     * the standardized values and the projections as columns of intermediate projections rather than of per-row
     * lists bound by lambdas, and a category's reference share found by a cast to an ENUM of the reference's values
     * (a hash lookup) rather than a CASE over up to {@value ReconstructionDrift#MAX_CATEGORIES} values. Computed that
     * way, the error cost more than the rest of a window's flattening.
     */
    public static String withError(MonitoredModel model, String relation, String name) {
        ReconstructionModel m = model(model);
        if (m == null) return null;
        List<ReconstructionModel.Feature> features = m.features();
        int d = features.size();
        StringBuilder standardized = new StringBuilder("SELECT *");
        for (int i = 0; i < d; i++) {
            ReconstructionModel.Feature f = features.get(i);
            String x = Sql.identifier(f.name());
            String value = switch (f) {
                case ReconstructionModel.Numeric n -> {
                    String v = "TRY_CAST((" + x + ") AS DOUBLE)";
                    yield "CASE WHEN isfinite(" + v + ") THEN " + v + " ELSE " + literal(n.impute()) + " END";
                }
                case ReconstructionModel.Categorical c -> share(c, "CAST(" + x + " AS VARCHAR)");
            };
            standardized.append(", ((").append(value).append(") - ").append(literal(f.mean())).append(") / ").append(literal(f.std()))
                    .append(" AS ").append(column("s", i));
        }
        standardized.append(" FROM (").append(relation).append(")");

        StringBuilder projected = new StringBuilder("SELECT * EXCLUDE (");
        for (int i = 0; i < d; i++) projected.append(i > 0 ? ", " : "").append(column("s", i));
        projected.append("), ");
        for (int i = 0; i < d; i++) projected.append(i > 0 ? " + " : "").append(column("s", i)).append(" * ").append(column("s", i));
        projected.append(" AS ").append(column("ss", 0));
        List<List<Double>> w = m.components();
        for (int j = 0; j < w.size(); j++) {
            projected.append(", ");
            for (int i = 0; i < d; i++) {
                projected.append(i > 0 ? " + " : "").append(literal(w.get(j).get(i))).append(" * ").append(column("s", i));
            }
            projected.append(" AS ").append(column("p", j));
        }
        projected.append(" FROM (").append(standardized).append(")");

        StringBuilder error = new StringBuilder("SELECT * EXCLUDE (").append(column("ss", 0));
        for (int j = 0; j < w.size(); j++) error.append(", ").append(column("p", j));
        error.append("), sqrt(greatest(").append(column("ss", 0)).append(" - (");
        for (int j = 0; j < w.size(); j++) error.append(j > 0 ? " + " : "").append(column("p", j)).append(" * ").append(column("p", j));
        error.append("), 0E0)) AS ").append(Sql.identifier(name)).append(" FROM (").append(projected).append(")");
        return error.toString();
    }

    /** A category's share of the reference (0 for a value it lacks), the impute value's for a missing one. */
    private static String share(ReconstructionModel.Categorical c, String x) {
        if (c.frequencies().isEmpty()) return "0E0";
        List<String> values = new ArrayList<>(c.frequencies().keySet());
        String shares = c.frequencies().values().stream().map(Multivariate::literal).collect(Collectors.joining(", ", "[", "]"));
        String type = values.stream().map(Sql::literal).collect(Collectors.joining(", ", "ENUM(", ")"));
        return "coalesce(" + shares + "[enum_code(TRY_CAST(coalesce(CAST((" + x + ") AS VARCHAR), " + Sql.literal(c.impute()) + ") AS "
                + type + "))::BIGINT + 1], 0E0)";
    }

    private static String column(String kind, int i) {
        return "\"__mv_" + kind + "_" + i + "\"";
    }

    /** A finite double as a DuckDB DOUBLE literal that reads back as the same double (a plain 0.25 would be a DECIMAL). */
    private static String literal(double v) {
        String s = Double.toString(v);
        return s.indexOf('E') >= 0 ? "(" + s + ")" : "(" + s + "E0)";
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

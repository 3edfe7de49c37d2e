package dev.cairn.data.drift;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.drift.ReconstructionModel.Categorical;
import dev.cairn.data.drift.ReconstructionModel.Feature;
import dev.cairn.data.drift.ReconstructionModel.Numeric;
import dev.cairn.data.source.Sql;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reconstruction error as one DuckDB expression. Each feature's value SQL is written once, into
 * a list that a lambda binds ({@code list_transform([values], lambda s: ...)[1]}): written inline,
 * a value would be repeated once per component, and a categorical one is a CASE over up to
 * {@link ReconstructionDrift#MAX_CATEGORIES} values. A second lambda binds {@code ||s||²} and the
 * projections so that each projection is written once too.
 *
 * <p>Every constant is a DOUBLE literal in exponent form ({@code 0.25E0}): DuckDB reads a plain
 * {@code 0.25} as DECIMAL, whose conversion need not give the double Java has; Java's shortest
 * round-tripping digits read as DOUBLE give exactly the model's value. The sums are written left
 * to right as {@link ReconstructionDrift#error(double[], double[][])} computes them.
 */
final class ReconstructionSql {
    private static final String S = "cairn_s";
    private static final String Q = "cairn_q";

    private ReconstructionSql() {}

    static String error(ReconstructionModel model, Function<String, String> columnSql) {
        List<Feature> features = model.features();
        int d = features.size();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < d; i++) {
            Feature f = features.get(i);
            String x = columnSql.apply(f.name());
            if (x == null) throw CairnException.invalid("columnSql", f.name(), "the SQL of every feature's value");
            if (i > 0) values.append(", ");
            values.append('(').append(switch (f) {
                case Numeric n -> numeric(n, x);
                case Categorical c -> categorical(c, x);
            }).append(" - ").append(literal(f.mean())).append(") / ").append(literal(f.std()));
        }

        StringBuilder sums = new StringBuilder();
        for (int i = 0; i < d; i++) sums.append(i > 0 ? " + " : "").append(S).append('[').append(i + 1).append("] * ").append(S).append('[').append(i + 1).append(']');
        List<List<Double>> w = model.components();
        for (List<Double> row : w) {
            sums.append(", ");
            for (int i = 0; i < d; i++) {
                sums.append(i > 0 ? " + " : "").append(literal(row.get(i))).append(" * ").append(S).append('[').append(i + 1).append(']');
            }
        }

        StringBuilder projected = new StringBuilder();
        for (int j = 0; j < w.size(); j++) {
            projected.append(j > 0 ? " + " : "").append(Q).append('[').append(j + 2).append("] * ").append(Q).append('[').append(j + 2).append(']');
        }
        String inner = "list_transform(list_value(list_value(" + sums + ")), lambda " + Q + ": sqrt(greatest(" + Q + "[1] - ("
                + projected + "), 0E0)))[1]";
        return "list_transform(list_value(list_value(" + values + ")), lambda " + S + ": " + inner + ")[1]";
    }

    /** The value, or the impute value when it is missing, unreadable as a number or not finite. */
    private static String numeric(Numeric f, String x) {
        String v = "TRY_CAST((" + x + ") AS DOUBLE)";
        return "CASE WHEN isfinite(" + v + ") THEN " + v + " ELSE " + literal(f.impute()) + " END";
    }

    /** The value's share of the reference (0 for one it lacks), the impute value's for a missing one. */
    private static String categorical(Categorical f, String x) {
        if (f.frequencies().isEmpty()) return "0E0";
        StringBuilder sql = new StringBuilder("CASE coalesce(CAST((").append(x).append(") AS VARCHAR), ")
                .append(Sql.literal(f.impute())).append(')');
        for (Map.Entry<String, Double> e : f.frequencies().entrySet()) {
            sql.append(" WHEN ").append(Sql.literal(e.getKey())).append(" THEN ").append(literal(e.getValue()));
        }
        return sql.append(" ELSE 0E0 END").toString();
    }

    /** A finite double as a DuckDB DOUBLE literal that reads back as the same double. */
    static String literal(double v) {
        String s = Double.toString(v);
        return s.indexOf('E') >= 0 ? "(" + s + ")" : "(" + s + "E0)";
    }
}

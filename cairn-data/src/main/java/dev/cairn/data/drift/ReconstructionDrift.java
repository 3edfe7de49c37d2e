package dev.cairn.data.drift;

import dev.cairn.data.drift.ReconstructionModel.Categorical;
import dev.cairn.data.drift.ReconstructionModel.Feature;
import dev.cairn.data.drift.ReconstructionModel.Numeric;
import dev.cairn.data.source.LoadedTable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Multivariate drift by PCA reconstruction error, as NannyML's DataReconstructionDriftCalculator:
 * a row's features are imputed, categorical ones frequency-encoded, all standardized with the
 * reference's mean and standard deviation, projected on the principal components that explain
 * {@value #VARIANCE_KEPT} of the reference's variance and projected back; the row's error is the
 * Euclidean distance between its standardized vector and that reconstruction. A window's value is
 * its rows' mean error. When the structure between features changes (a correlation breaks), rows
 * leave the reference's principal subspace and the error rises, even when every feature's own
 * distribution is unchanged.
 *
 * <p>The error is computed the same way in Java ({@link #error}) and in DuckDB SQL
 * ({@link #errorSql}), with the same IEEE operations in the same order, so that monitoring can
 * average it in the scan that computes a window's other statistics and a single row can be
 * explained from Java with the same number.
 */
public final class ReconstructionDrift {
    /** The share of the reference's variance the kept components explain at least (NannyML's default). */
    public static final double VARIANCE_KEPT = 0.65;
    /** At most this many reference rows are used (every n-th row of a larger table, in its order). */
    public static final int MAX_ROWS = 100_000;
    /** Of a categorical feature, the most frequent values kept; rarer ones encode as 0, as unseen values do. */
    public static final int MAX_CATEGORIES = 1000;
    /** The reference chunks the threshold's standard deviation is taken over, as NannyML's default chunker. */
    public static final int DEFAULT_CHUNKS = 10;
    /** Half the band's width, in standard deviations of the reference chunks' mean error. */
    public static final double THRESHOLD_STDS = 3;

    /** A decimal number as DuckDB reads text as DOUBLE: optional sign, digits with '_' between them, exponent. */
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(\\d+(_\\d+)*(\\.(\\d+(_\\d+)*)?)?|\\.\\d+(_\\d+)*)([eE][+-]?\\d+)?");

    private ReconstructionDrift() {}

    /**
     * Fits the reference on {@code features} of a table: at most {@value #MAX_ROWS} rows (when the
     * table has more, every n-th row in the table's order, so the same table always gives the same
     * model), the thresholds from {@code chunks} equal consecutive chunks of those rows. NUMERIC
     * columns are numeric features; STRING and BOOLEAN ones categorical (a boolean as its text,
     * {@code true}/{@code false}). Refuses a feature the table lacks or a temporal one, fewer than 2
     * features, fewer rows than chunks, and references where the error would say nothing: every
     * feature constant, or components explaining all the variance (every reference row would
     * reconstruct exactly).
     */
    public static ReconstructionModel fit(LoadedTable table, List<String> features, int chunks) {
        return ReconstructionFit.fit(table, features, chunks, MAX_ROWS);
    }

    /**
     * One row's reconstruction error. Values are looked up by feature name; a missing key or null
     * is imputed. Numeric features take numbers, booleans (1/0) or text read as DuckDB reads it as
     * DOUBLE (unreadable or non-finite: imputed); categorical features compare their text
     * ({@code String.valueOf}) with the reference's values.
     */
    public static double error(ReconstructionModel model, Map<String, ?> row) {
        List<Feature> features = model.features();
        double[] s = new double[features.size()];
        for (int i = 0; i < s.length; i++) {
            Feature f = features.get(i);
            Object value = row.get(f.name());
            s[i] = switch (f) {
                case Numeric n -> standardize(n, number(value));
                case Categorical c -> standardize(c, value == null ? null : String.valueOf(value));
            };
        }
        return error(s, components(model));
    }

    /**
     * A DuckDB SQL expression for a row's reconstruction error, the same number {@link #error}
     * gives. {@code columnSql} maps a feature's name to the SQL of its value in the row: numeric
     * features of any numeric type or VARCHAR, categorical ones of any type (compared as VARCHAR).
     * Each value's SQL appears once, so the expression costs one pass over the row's values.
     */
    public static String errorSql(ReconstructionModel model, Function<String, String> columnSql) {
        return ReconstructionSql.error(model, columnSql);
    }

    /**
     * A window's verdict from its rows' mean error. The reference's band is for windows of
     * {@code chunkSize} rows; a mean over {@code rows} rows varies as 1/√rows, so the band's
     * half-width is {@value #THRESHOLD_STDS} × the chunks' standard deviation × √(chunkSize / rows)
     * (the model's own thresholds exactly when {@code rows == chunkSize}); the lower end is at least 0.
     */
    public static MultivariateResult evaluate(ReconstructionModel model, double meanError, long rows) {
        if (rows < 1 || Double.isNaN(meanError)) {
            return new MultivariateResult(Double.NaN, model.lowerThreshold(), model.upperThreshold(), false);
        }
        double scale = rows == model.chunkSize() ? 1 : Math.sqrt((double) model.chunkSize() / rows);
        double[] band = band(model.referenceMeanError(), model.referenceChunkStd(), scale);
        return new MultivariateResult(meanError, band[0], band[1], meanError < band[0] || meanError > band[1]);
    }

    /** The band {@code mean ± THRESHOLD_STDS × std × scale}, its lower end at least 0. */
    static double[] band(double mean, double std, double scale) {
        double half = THRESHOLD_STDS * std * scale;
        return new double[] {Math.max(0, mean - half), mean + half};
    }

    static double standardize(Numeric f, Double value) {
        double v = value != null && Double.isFinite(value) ? value : f.impute();
        return (v - f.mean()) / f.std();
    }

    static double standardize(Categorical f, String value) {
        return (f.encode(value == null ? f.impute() : value) - f.mean()) / f.std();
    }

    /**
     * {@code ||s - WᵀWs||} as {@code sqrt(max(||s||² - ||Ws||², 0))}, each sum from its first term
     * left to right: the order {@link ReconstructionSql} writes them in, so both give the same bits.
     */
    static double error(double[] s, double[][] w) {
        double ss = s[0] * s[0];
        for (int i = 1; i < s.length; i++) ss = ss + s[i] * s[i];
        double pp = 0;
        for (int j = 0; j < w.length; j++) {
            double p = w[j][0] * s[0];
            for (int i = 1; i < s.length; i++) p = p + w[j][i] * s[i];
            pp = j == 0 ? p * p : pp + p * p;
        }
        return Math.sqrt(Math.max(ss - pp, 0));
    }

    static double[][] components(ReconstructionModel model) {
        return model.components().stream().map(r -> r.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
    }

    /** A numeric feature's value, or null when missing or unreadable. */
    private static Double number(Object value) {
        return switch (value) {
            case null -> null;
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1.0 : 0.0;
            default -> {
                String t = value.toString().strip();
                yield NUMBER.matcher(t).matches() ? Double.valueOf(t.replace("_", "")) : null;
            }
        };
    }
}

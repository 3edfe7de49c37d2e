package dev.cairn.bench.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.data.source.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The baseline: the per-feature statistics of a day of the log written by hand as one DuckDB query over
 * the same Parquet segments, in process through the same JDBC driver — per numeric input count, missing,
 * mean, standard deviation, min, max, {@code approx_quantile} at the ranks Cairn's profile reports and
 * {@code approx_count_distinct}; per categorical input count, missing, {@code approx_count_distinct} and
 * the 100 most frequent values with their counts (Cairn keeps 100). Two ways to flatten the JSON rows:
 * {@link Flatten#TYPED} parses each row once into a typed struct (the fastest DuckDB offers, "the
 * limit"); {@link Flatten#BY_FIELD} extracts each field with {@code ->>} from the row, as Cairn's SQL did before it
 * parsed each row once into a typed struct (LogSql.window). {@link Flatten#CHECKED} parses as TYPED does and also
 * computes what else a window of Cairn's has per field: each input's quality checks against the signature (out of its
 * range, a category outside its domain) and the same statistics of the predictions (the positive class's score, the
 * predicted label, the latency), from each request's outputs parsed once into a typed struct too. It leaves out what
 * is not a per-field statistic (the multivariate reconstruction error, the score histogram for CBPE), and type errors,
 * which a typed parse cannot tell from missing values without the text (the log has none).
 */
final class LimitQuery {
    /** The quantile ranks of cairn-data's profile (ColumnAccumulator.QUANTILE_RANKS). */
    static final double[] RANKS = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
    static final int TOP = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Flatten { TYPED, BY_FIELD, CHECKED }

    /** The predictions' columns, named as Cairn's window names them (LogSql). */
    static final String SCORE = "__score";
    static final String LABEL = "__label";
    static final String LATENCY = "__latency_ms";

    record Numeric(String name, long count, long missing, double mean, double stdDev, double min, double max, double[] quantiles,
                   long distinct) {}

    record Categorical(String name, long count, long missing, long distinct, List<Map.Entry<String, Long>> top) {}

    /**
     * The figures of a query: with {@link Flatten#CHECKED}, the predictions' statistics among them (as {@link #SCORE},
     * {@link #LATENCY} and {@link #LABEL}) and each checked input's count of values out of range or domain.
     */
    record Result(long rows, List<Numeric> numeric, List<Categorical> categorical, Map<String, Long> outside) {}

    private LimitQuery() {}

    static String sql(List<Path> files, Flatten flatten) {
        List<SyntheticLog.Feature> features = SyntheticLog.features(SyntheticLog.REFERENCE_SEED);
        String from = "read_parquet(" + files.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]"))
                + ") WHERE deployment = " + Sql.literal(SyntheticLog.DEPLOYMENT) + " AND error IS NULL AND outputs IS NOT NULL";
        StringBuilder flat = new StringBuilder("SELECT ");
        String source;
        if (flatten == Flatten.TYPED || flatten == Flatten.CHECKED) {
            String structure = features.stream().map(f -> "\"" + f.name() + "\":\"" + switch (f.type()) {
                case INTEGER -> "BIGINT";
                case DOUBLE -> "DOUBLE";
                default -> "VARCHAR";
            } + "\"").collect(Collectors.joining(",", "[{", "}]"));
            flat.append(features.stream().map(f -> "r." + f.name() + " AS " + f.name()).collect(Collectors.joining(", ")));
            source = "(SELECT unnest(from_json(inputs, " + Sql.literal(structure) + ")) AS r FROM " + from + ")";
            if (flatten == Flatten.CHECKED) {
                flat.append(", y.label AS ").append(LABEL).append(", y.probabilities.").append(Sql.identifier(SyntheticLog.POSITIVE)).append(" AS ")
                        .append(SCORE).append(", latency_us / 1000.0 AS ").append(LATENCY);
                String outputs = "[{\"label\":\"VARCHAR\",\"probabilities\":{\"" + SyntheticLog.POSITIVE + "\":\"DOUBLE\"}}]";
                source = "(SELECT unnest(from_json(inputs, " + Sql.literal(structure) + ")) AS r, unnest(from_json(outputs, "
                        + Sql.literal(outputs) + ")) AS y, latency_us FROM " + from + ")";
            }
        } else {
            flat.append(features.stream().map(f -> (f.categorical() ? "(x ->> '" + f.name() + "')"
                    : "TRY_CAST(x ->> '" + f.name() + "' AS DOUBLE)") + " AS " + f.name()).collect(Collectors.joining(", ")));
            source = "(SELECT unnest(from_json(inputs, '[\"JSON\"]')) AS x FROM " + from + ")";
        }
        flat.append(" FROM ").append(source);
        String ranks = java.util.Arrays.stream(RANKS).mapToObj(Double::toString).collect(Collectors.joining(", ", "[", "]"));
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (SyntheticLog.Feature f : features) {
            String x = f.name();
            if (f.categorical()) {
                categorical(sql, x);
                if (flatten == Flatten.CHECKED && f.domain() != null) {
                    sql.append(", count_if(").append(x).append(" IS NOT NULL AND TRY_CAST(").append(x).append(" AS ENUM(")
                            .append(f.domain().stream().map(Sql::literal).collect(Collectors.joining(", "))).append(")) IS NULL)");
                }
            } else {
                numeric(sql, x, ranks);
                if (flatten == Flatten.CHECKED && (f.min() != null || f.max() != null)) {
                    sql.append(", count_if(").append(f.min() == null ? "false" : x + " < " + f.min()).append(" OR ")
                            .append(f.max() == null ? "false" : x + " > " + f.max()).append(")");
                }
            }
        }
        if (flatten == Flatten.CHECKED) {
            numeric(sql, SCORE, ranks);
            numeric(sql, LATENCY, ranks);
            categorical(sql, LABEL);
        }
        return sql.append(" FROM (").append(flat).append(")").toString();
    }

    private static void numeric(StringBuilder sql, String x, String ranks) {
        sql.append(", count(").append(x).append("), avg(").append(x).append("), stddev_samp(").append(x).append("), min(").append(x)
                .append(")::DOUBLE, max(").append(x).append(")::DOUBLE, to_json(approx_quantile(").append(x).append(", ").append(ranks)
                .append("))::VARCHAR, approx_count_distinct(").append(x).append(")");
    }

    private static void categorical(StringBuilder sql, String x) {
        sql.append(", count(").append(x).append("), approx_count_distinct(").append(x).append("), histogram(").append(x).append(")::JSON::VARCHAR");
    }

    static Result run(List<Path> files, Flatten flatten) throws Exception {
        List<SyntheticLog.Feature> features = SyntheticLog.features(SyntheticLog.REFERENCE_SEED);
        List<Numeric> numeric = new ArrayList<>();
        List<Categorical> categorical = new ArrayList<>();
        Map<String, Long> outside = new java.util.LinkedHashMap<>();
        boolean checked = flatten == Flatten.CHECKED;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql(files, flatten))) {
            r.next();
            int[] at = {1};
            long rows = r.getLong(at[0]++);
            for (SyntheticLog.Feature f : features) {
                if (f.categorical()) {
                    categorical.add(categorical(r, at, f.name(), rows));
                    if (checked && f.domain() != null) outside.put(f.name(), r.getLong(at[0]++));
                } else {
                    numeric.add(numeric(r, at, f.name(), rows));
                    if (checked && (f.min() != null || f.max() != null)) outside.put(f.name(), r.getLong(at[0]++));
                }
            }
            if (checked) {
                numeric.add(numeric(r, at, SCORE, rows));
                numeric.add(numeric(r, at, LATENCY, rows));
                categorical.add(categorical(r, at, LABEL, rows));
            }
            return new Result(rows, numeric, categorical, outside);
        }
    }

    /** The figures of a numeric column from the result's columns at {@code at[0]} on (moved past them). */
    private static Numeric numeric(ResultSet r, int[] at, String name, long rows) throws Exception {
        long present = r.getLong(at[0]++);
        double mean = r.getDouble(at[0]++);
        double sd = r.getDouble(at[0]++);
        double min = r.getDouble(at[0]++);
        double max = r.getDouble(at[0]++);
        JsonNode q = JSON.readTree(r.getString(at[0]++));
        double[] quantiles = new double[q.size()];
        for (int k = 0; k < quantiles.length; k++) quantiles[k] = q.get(k).asDouble();
        return new Numeric(name, rows, rows - present, mean, sd, min, max, quantiles, r.getLong(at[0]++));
    }

    /** The figures of a categorical column from the result's columns at {@code at[0]} on (moved past them). */
    private static Categorical categorical(ResultSet r, int[] at, String name, long rows) throws Exception {
        long present = r.getLong(at[0]++);
        long distinct = r.getLong(at[0]++);
        JsonNode counts = JSON.readTree(r.getString(at[0]++));
        List<Map.Entry<String, Long>> top = new ArrayList<>();
        counts.properties().forEach(e -> top.add(Map.entry(e.getKey(), e.getValue().asLong())));
        top.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return new Categorical(name, rows, rows - present, distinct, List.copyOf(top.subList(0, Math.min(TOP, top.size()))));
    }
}

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
 * parsed each row once into a typed struct (LogSql.window).
 */
final class LimitQuery {
    /** The quantile ranks of cairn-data's profile (ColumnAccumulator.QUANTILE_RANKS). */
    static final double[] RANKS = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
    static final int TOP = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Flatten { TYPED, BY_FIELD }

    record Numeric(String name, long count, long missing, double mean, double stdDev, double min, double max, double[] quantiles,
                   long distinct) {}

    record Categorical(String name, long count, long missing, long distinct, List<Map.Entry<String, Long>> top) {}

    record Result(long rows, List<Numeric> numeric, List<Categorical> categorical) {}

    private LimitQuery() {}

    static String sql(List<Path> files, Flatten flatten) {
        List<SyntheticLog.Feature> features = SyntheticLog.features(SyntheticLog.REFERENCE_SEED);
        String from = "read_parquet(" + files.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]"))
                + ") WHERE deployment = " + Sql.literal(SyntheticLog.DEPLOYMENT) + " AND error IS NULL AND outputs IS NOT NULL";
        StringBuilder flat = new StringBuilder("SELECT ");
        String source;
        if (flatten == Flatten.TYPED) {
            String structure = features.stream().map(f -> "\"" + f.name() + "\":\"" + switch (f.type()) {
                case INTEGER -> "BIGINT";
                case DOUBLE -> "DOUBLE";
                default -> "VARCHAR";
            } + "\"").collect(Collectors.joining(",", "[{", "}]"));
            flat.append(features.stream().map(f -> "r." + f.name() + " AS " + f.name()).collect(Collectors.joining(", ")));
            source = "(SELECT unnest(from_json(inputs, " + Sql.literal(structure) + ")) AS r FROM " + from + ")";
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
                sql.append(", count(").append(x).append("), approx_count_distinct(").append(x).append("), histogram(").append(x)
                        .append(")::JSON::VARCHAR");
            } else {
                sql.append(", count(").append(x).append("), avg(").append(x).append("), stddev_samp(").append(x).append("), min(").append(x)
                        .append(")::DOUBLE, max(").append(x).append(")::DOUBLE, to_json(approx_quantile(").append(x).append(", ").append(ranks)
                        .append("))::VARCHAR, approx_count_distinct(").append(x).append(")");
            }
        }
        return sql.append(" FROM (").append(flat).append(")").toString();
    }

    static Result run(List<Path> files, Flatten flatten) throws Exception {
        List<SyntheticLog.Feature> features = SyntheticLog.features(SyntheticLog.REFERENCE_SEED);
        List<Numeric> numeric = new ArrayList<>();
        List<Categorical> categorical = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql(files, flatten))) {
            r.next();
            int i = 1;
            long rows = r.getLong(i++);
            for (SyntheticLog.Feature f : features) {
                long present = r.getLong(i++);
                if (f.categorical()) {
                    long distinct = r.getLong(i++);
                    JsonNode counts = JSON.readTree(r.getString(i++));
                    List<Map.Entry<String, Long>> top = new ArrayList<>();
                    counts.properties().forEach(e -> top.add(Map.entry(e.getKey(), e.getValue().asLong())));
                    top.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
                    categorical.add(new Categorical(f.name(), rows, rows - present, distinct, List.copyOf(top.subList(0, Math.min(TOP, top.size())))));
                } else {
                    double mean = r.getDouble(i++);
                    double sd = r.getDouble(i++);
                    double min = r.getDouble(i++);
                    double max = r.getDouble(i++);
                    JsonNode q = JSON.readTree(r.getString(i++));
                    double[] quantiles = new double[q.size()];
                    for (int k = 0; k < quantiles.length; k++) quantiles[k] = q.get(k).asDouble();
                    numeric.add(new Numeric(f.name(), rows, rows - present, mean, sd, min, max, quantiles, r.getLong(i++)));
                }
            }
            return new Result(rows, numeric, categorical);
        }
    }
}

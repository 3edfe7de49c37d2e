package dev.cairn.monitor.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window's table ({@link LogSql#window}) takes short ways through most values: numbers parsed straight into DOUBLE,
 * domain values looked up, scores parsed as DOUBLE. These tests hold it to the long way on values chosen to break
 * them: every input typed from its raw text as {@link LogSql#rows} types it, and checked from its raw text with the
 * quality conditions monitoring has always counted (written out here as they were, over the raw text).
 */
class WindowTableTest {
    /** Raw JSON values of inputs: numbers, numeric and other text, blanks, "nan" in its spellings, booleans, nulls, nesting (null: absent). */
    private static final List<String> VALUES = Arrays.asList("5", "0", "1", "-0.0", "1e400", "-1e400", "1000.5", "-3", "12345678901234567890123",
            "0.1", "\"7\"", "\" 8 \"", "\"1_000\"", "\"nan\"", "\"NaN\"", "\" NaN \"", "\"\\tnan\"", "\"\"", "\"   \"", "\"abc\"", "\"inf\"",
            "\"-Infinity\"", "NaN", "Infinity", "true", "false", "null", null, "{\"a\":1}", "[1,2]", "\"true\"", "\"yes\"", "\"N\"",
            "\"car\"", "\" car\"", "\"CAR\"", "\"tv\"", "\"x\"", "\" \"", "\"2026-11-01 10:00:00\"", "\"2026-11-01T10:00:00Z\"", "1793491200",
            "\"2026-13-01\"", "1.5", "\"0\"", "\"F\"", "\"n\"");
    /** Raw JSON of the positive class's probability. */
    private static final List<String> SCORES = List.of("0.3", "0", "1", "true", "false", "\"0.5\"", "null", "\"x\"", "NaN", "-0.0", "0.999", "1e-5");

    @TempDir Path dir;
    MonitoredModel model;
    Path segment;

    @BeforeEach
    void setUp() throws Exception {
        List<Field> fields = List.of(
                new Field("amount", FieldType.DOUBLE, true, null, 0.0, 1000.0, null),
                new Field("count", FieldType.INTEGER, true, null, 1.0, null, null),
                new Field("ratio", FieldType.DOUBLE, true, null, null, 2.0, null),     // profiled as text in training: typed as text
                new Field("purpose", FieldType.STRING, true, List.of("car", "tv", "education", "tv"), null, null, null),
                new Field("code", FieldType.STRING, true, List.of("x", "NaN", " "), null, null, null),   // values that read as missing
                new Field("note", FieldType.STRING, true, null, null, null, null),
                new Field("foreign", FieldType.BOOLEAN, true, null, null, null, null),
                new Field("flag", FieldType.BOOLEAN, true, null, null, null, null),      // profiled as a number in training
                new Field("seen", FieldType.TIMESTAMP, true, null, null, null, null));
        Path training = dir.resolve("training.csv");
        Files.writeString(training, """
                amount,count,ratio,purpose,code,note,foreign,flag,seen
                1.5,2,a,car,x,hello,true,0,2026-01-01 00:00:00
                2.5,3,b,tv,x,world,false,1,2026-01-02 00:00:00
                """);
        DatasetProfile profile = new DataValidation().profile(DataValidation.file(training));
        assertThat(profile.column("ratio").orElseThrow().kind()).isEqualTo(ColumnKind.STRING);
        assertThat(profile.column("flag").orElseThrow().kind()).isEqualTo(ColumnKind.NUMERIC);
        model = new MonitoredModel("credit", "1", new Signature(fields, OutputSpec.binary("class", "bad", "good")), 0.5, profile, null, null);
        segment = writeSegment(requests(fields));
    }

    /** Requests of one to three rows (their predictions sometimes fewer or more), each input cycling through VALUES. */
    private static List<String[]> requests(List<Field> fields) {
        SplittableRandom random = new SplittableRandom(17);
        List<String[]> requests = new ArrayList<>();
        int value = 0;
        for (int q = 0; q < 400; q++) {
            int rows = q % 7 == 0 ? 1 + q % 3 : 1;
            int predictions = q % 11 == 0 ? rows + 1 : q % 13 == 0 ? Math.max(0, rows - 1) : rows;
            List<String> inputs = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                List<String> members = new ArrayList<>();
                for (int k = 0; k < fields.size(); k++) {
                    String v = random.nextInt(4) == 0 ? VALUES.get((value++ * 7 + k) % VALUES.size()) : plain(fields.get(k), random);
                    if (v != null) members.add("\"" + fields.get(k).name() + "\":" + v);
                }
                inputs.add(members.stream().collect(Collectors.joining(",", "{", "}")));
            }
            List<String> outputs = new ArrayList<>();
            for (int r = 0; r < predictions; r++) {
                String p = random.nextInt(3) == 0 ? SCORES.get(random.nextInt(SCORES.size())) : Double.toString(random.nextDouble());
                outputs.add("{\"label\":\"" + (r % 3 == 2 ? "true" : "good") + "\",\"probabilities\":{\"bad\":0.5,\"good\":" + p + "}}");
            }
            requests.add(new String[] {"q" + q, "[" + String.join(",", inputs) + "]", "[" + String.join(",", outputs) + "]"});
        }
        return requests;
    }

    /** A value of the field's type as a client sends it. */
    private static String plain(Field f, SplittableRandom random) {
        return switch (f.type()) {
            case DOUBLE -> Double.toString(Math.round(random.nextDouble() * 150000) / 100.0 - 100);
            case INTEGER -> Integer.toString(random.nextInt(-2, 50));
            case STRING -> "\"" + List.of("car", "tv", "education", "boat", "x").get(random.nextInt(5)) + "\"";
            case BOOLEAN -> random.nextBoolean() ? "true" : "\"no\"";
            case TIMESTAMP -> "\"2026-11-0" + (1 + random.nextInt(9)) + " 12:00:00\"";
        };
    }

    private Path writeSegment(List<String[]> requests) throws Exception {
        Path file = dir.resolve("segment.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE p (request_id VARCHAR, inputs VARCHAR, outputs VARCHAR, latency_us BIGINT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO p VALUES (?, ?, ?, ?)")) {
                for (String[] q : requests) {
                    insert.setString(1, q[0]);
                    insert.setString(2, q[1]);
                    insert.setString(3, q[2]);
                    insert.setLong(4, 1000 + q[0].hashCode() % 500);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("COPY (SELECT request_id, TIMESTAMP '2026-11-01 10:00:00' AS time, 'credit' AS deployment, 'credit' AS model, "
                    + "'1' AS model_version, false AS shadow, 'cairn' AS protocol, inputs, outputs, NULL::VARCHAR AS error, "
                    + "NULL::VARCHAR AS error_fields, latency_us FROM p) TO " + Sql.literal(file.toString()) + " (FORMAT parquet)");
        }
        return file;
    }

    private String requestsSql() {
        return "(SELECT * FROM read_parquet(" + Sql.literal(segment.toString()) + "))";
    }

    @Test
    @DisplayName("every typed input, score, label and latency is what typing the raw text gives, row by row")
    void typedValuesAreTheLongWays() throws Exception {
        List<String> columns = new ArrayList<>(model.signature().inputNames());
        columns.addAll(List.of(LogSql.SCORE, LogSql.LABEL, LogSql.LATENCY));
        String select = columns.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        List<List<Object>> window = fetch("SELECT " + select + " FROM (" + LogSql.window(requestsSql(), model) + ")");
        List<List<Object>> longWay = fetch("SELECT " + select + " FROM (" + LogSql.rows(requestsSql(), model) + ")");
        assertThat(window).hasSizeGreaterThan(400).hasSameSizeAs(longWay);
        for (int i = 0; i < window.size(); i++) assertThat(window.get(i)).as("row %d", i).isEqualTo(longWay.get(i));
        // The values the short ways exist for are there: numbers, domain values, scores of 0 and 1 both ways.
        assertThat(window).extracting(r -> r.get(0)).contains(5.0, Double.POSITIVE_INFINITY, 0.0);
        assertThat(window).extracting(r -> r.get(3)).contains("car", "tv", "boat", " car", "CAR");
        assertThat(window).extracting(r -> r.get(columns.indexOf(LogSql.SCORE))).contains(0.0, 1.0, 0.5, NULL);
    }

    @Test
    @DisplayName("the quality flags count what the quality conditions over the raw text count, input by input")
    void flagsCountWhatTheRawTextChecksCount() throws Exception {
        Map<String, FieldQuality> counted;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE w AS " + LogSql.window(requestsSql(), model));
            try (ResultSet r = s.executeQuery(LogSql.quality("w", model))) {
                counted = LogSql.qualityCounts(r, model);
            }
        }
        Map<String, FieldQuality> raw = rawQuality();
        assertThat(counted).isEqualTo(raw);
        // Every kind of flag occurs, so the comparison is not between zeros.
        assertThat(raw.get("amount").missing()).isPositive();
        assertThat(raw.get("amount").typeErrors()).isPositive();
        assertThat(raw.get("amount").outOfRange()).isPositive();
        assertThat(raw.get("purpose").unseen()).isPositive();
        assertThat(raw.get("code").unseen()).isPositive();
        assertThat(raw.get("foreign").typeErrors()).isPositive();
        assertThat(raw.get("seen").typeErrors()).isPositive();
    }

    /** The quality counts as monitoring computed them before window tables had flags: conditions over each raw value. */
    private Map<String, FieldQuality> rawQuality() throws Exception {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        List<Field> inputs = model.inputs();
        for (Field f : inputs) {
            String raw = "(x[" + Sql.literal(f.name()) + "])";
            String t = "lower(trim(" + raw + "))";
            String missing = "(" + raw + " IS NULL OR trim(" + raw + ") = '' OR " + t + " = 'nan')";
            String typeError = switch (f.type()) {
                case INTEGER, DOUBLE -> "TRY_CAST(" + raw + " AS DOUBLE) IS NULL";
                case BOOLEAN -> "NOT (" + t + " IN " + LogSql.TRUE_SPELLINGS + " OR " + t + " IN " + LogSql.FALSE_SPELLINGS + ")";
                case TIMESTAMP -> "TRY_CAST(" + raw + " AS TIMESTAMP) IS NULL AND TRY_CAST(" + raw + " AS BIGINT) IS NULL";
                case STRING -> "false";
            };
            List<String> range = new ArrayList<>();
            if (f.min() != null && (f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE)) range.add("TRY_CAST(" + raw + " AS DOUBLE) < " + f.min());
            if (f.max() != null && (f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE)) range.add("TRY_CAST(" + raw + " AS DOUBLE) > " + f.max());
            String unseen = f.domain() == null || f.type() != FieldType.STRING ? "false" : "NOT " + missing + " AND " + raw + " NOT IN ("
                    + f.domain().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
            sql.append(", count(*) FILTER (WHERE ").append(missing).append(")");
            sql.append(", count(*) FILTER (WHERE NOT ").append(missing).append(" AND ").append(typeError).append(")");
            sql.append(", count(*) FILTER (WHERE ").append(range.isEmpty() ? "false" : String.join(" OR ", range)).append(")");
            sql.append(", count(*) FILTER (WHERE ").append(unseen).append(")");
        }
        String structure = inputs.stream().map(f -> "\"" + f.name() + "\":\"VARCHAR\"").collect(Collectors.joining(",", "[{", "}]"));
        sql.append(" FROM (SELECT unnest(from_json(inputs, ").append(Sql.literal(structure)).append(")) AS x, unnest(from_json(outputs, '[\"JSON\"]')) AS y FROM ")
                .append(requestsSql()).append(")");
        Map<String, FieldQuality> quality = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql.toString())) {
            r.next();
            int i = 2;
            for (Field f : inputs) {
                quality.put(f.name(), new FieldQuality(r.getLong(i), r.getLong(i + 1), r.getLong(i + 2), r.getLong(i + 3)));
                i += 4;
            }
        }
        return quality;
    }

    @Test
    @DisplayName("a domain value that could read as missing sends its input the long way")
    void domainValuesThatMayReadAsMissing() {
        assertThat(LogSql.mayReadAsMissing("car")).isFalse();
        assertThat(LogSql.mayReadAsMissing("v12")).isFalse();
        assertThat(LogSql.mayReadAsMissing(" tv ")).isFalse();
        assertThat(LogSql.mayReadAsMissing("")).isTrue();
        assertThat(LogSql.mayReadAsMissing("   ")).isTrue();
        assertThat(LogSql.mayReadAsMissing(" NaN ")).isTrue();
        assertThat(LogSql.mayReadAsMissing("nAn")).isTrue();
        assertThat(LogSql.mayReadAsMissing("ñan")).isTrue();
    }

    /** Rows of a query in one thread, so both sides come in the log's order. */
    private static List<List<Object>> fetch(String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            try (ResultSet r = s.executeQuery(sql)) {
                int n = r.getMetaData().getColumnCount();
                while (r.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(normal(r.getObject(i)));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Values compared as Java sees them; NaN equals NaN in a list's equals, -0.0 differs from 0.0. */
    private static Object normal(Object v) {
        return v instanceof java.math.BigDecimal d ? d.doubleValue() : v instanceof java.sql.Timestamp t ? t.toString() : Objects.requireNonNullElse(v, NULL);
    }

    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "NULL";
        }
    };
}

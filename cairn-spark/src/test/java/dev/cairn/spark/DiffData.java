package dev.cairn.spark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The data the differential tests give both engines, made by DuckDB from hashes of the row number
 * (so the same every run): a dirty table that fails some checks, and a clean one the model accepts.
 */
final class DiffData {
    static final String SPEC = """
            version: 1
            dataset: diff
            fields:
              - {name: customer_id, type: INTEGER, nullable: false}
              - {name: checking_status, type: STRING, nullable: false, domain: ['<0', '0<=X<200', '>=200', no checking]}
              - {name: duration, type: INTEGER, min: 1, max: 72}
              - {name: credit_amount, type: DOUBLE, nullable: true}
              - {name: savings_status, type: STRING, nullable: true}
              - {name: age, type: INTEGER}
              - {name: own_telephone, type: BOOLEAN}
              - {name: code, type: STRING}
              - {name: maybe_int, type: INTEGER}
              - {name: ratio, type: INTEGER}
              - {name: price, type: DOUBLE}
            checks:
              - {check: unique, column: customer_id}
              - {check: primary_key, columns: [customer_id, code]}
              - {check: completeness, column: credit_amount, min_completeness: 0.95}
              - {check: regex, column: code, pattern: '[A-Z]{2}-\\d{3}'}  # a backslash: Spark reads it as DuckDB does
              - {check: row_count, min: 100}
              - {check: metric, metric: mean, column: age, min: 30, max: 60}
              - {check: metric, metric: stddev, column: credit_amount, max: 1000000}
              - {check: metric, metric: sum, column: duration, min: 0}
              - {check: metric, metric: distinct, column: checking_status, max: 10}
              - {check: metric, metric: completeness, column: savings_status, min: 0.5}
              - {check: sql, predicate: 'age >= 21 OR own_telephone', severity: warning}
              - {check: allowed_values, column: savings_status, values: ['<100', '100<=X<500', '>=500']}
              - {check: range, column: maybe_int, min: 0, max: 500}
              - {check: type, column: maybe_int, type: DOUBLE}
              - {check: type, column: code, type: BOOLEAN}
              - {check: not_null, column: savings_status, severity: warning}
              - {check: metric_change, metric: row_count, max_change: 0.1}
            """;

    private DiffData() {}

    /** {@code rows} rows; with {@code dirty}, a few break the schema's rules (duplicates, bad codes, out-of-range values). */
    static Path write(Path dir, String name, int rows, boolean dirty) throws SQLException {
        Path file = dir.resolve(name + ".parquet");
        String d = dirty ? "TRUE" : "FALSE";
        String sql = "COPY (SELECT"
                + " CASE WHEN " + d + " AND i % 997 = 0 THEN i - 1 ELSE i END::BIGINT AS customer_id,"
                + " CASE WHEN " + d + " AND i % 401 = 0 THEN 'unknown' ELSE (['<0', '0<=X<200', '>=200', 'no checking'])[1 + h(i * 3) % 4] END AS checking_status,"
                + " CASE WHEN " + d + " AND i % 313 = 0 THEN 0 ELSE 4 + h(i * 5) % 60 END::BIGINT AS duration,"
                + " CASE WHEN h(i * 7) % 8 = 0 THEN NULL ELSE 250.0 + (h(i * 11) % 1500000) / 100.0 END::DOUBLE AS credit_amount,"
                + " CASE WHEN h(i * 13) % 8 = 0 THEN NULL ELSE (['<100', '100<=X<500', '>=500'])[1 + h(i * 17) % 3] END AS savings_status,"
                + " (19 + h(i * 19) % 60)::BIGINT AS age,"
                + " h(i * 23) % 2 = 0 AS own_telephone,"
                + " CASE WHEN " + d + " AND i % 211 = 0 THEN 'bad' ELSE chr(65 + (h(i) % 26)::INTEGER) || chr(65 + (h(i * 29) % 26)::INTEGER) || '-' || lpad((h(i * 31) % 1000)::VARCHAR, 3, '0') END AS code,"
                + " CASE WHEN " + d + " AND i % 157 = 0 THEN 'n/a' WHEN h(i * 37) % 10 = 0 THEN NULL ELSE (h(i * 41) % 600)::VARCHAR END AS maybe_int,"
                + " CASE WHEN " + d + " AND i % 103 = 0 THEN 2.5 ELSE (h(i * 43) % 50)::DOUBLE END AS ratio,"
                + " (h(i * 47) % 1000000) / 1000.0 - 200.0 AS price"
                + " FROM range(1, " + (rows + 1) + ") t(i)) TO '" + file + "' (FORMAT parquet)";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // A signed hash: list indexes and arithmetic then need no casts.
            s.execute("CREATE MACRO h(x) AS (hash(x) % 1000000007)::BIGINT");
            s.execute(sql);
        }
        return file;
    }
}

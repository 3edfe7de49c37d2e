package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.runtime.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Batch scoring writes every customer's score whole, or leaves the previous output untouched")
class BatchScorerTest {

    @TempDir
    Path dir;

    private Path customersCsv(int n, int badRow) throws Exception {
        List<String> lines = new ArrayList<>(List.of("customer_id,age,amount,purpose"));
        List<Map<String, Object>> rows = CreditModels.customers(n, 3);
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = rows.get(i);
            lines.add((100_001 + i) + "," + r.get("age") + "," + (r.get("amount") == null ? "" : r.get("amount")) + ","
                    + (i == badRow ? "yacht" : r.get("purpose")));
        }
        Path csv = dir.resolve("customers-" + n + "-" + badRow + ".csv");
        Files.write(csv, lines);
        return csv;
    }

    private static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    void a_csv_of_customers_is_scored_into_a_sqlite_table_and_a_failed_rerun_leaves_it_as_it_was() throws Exception {
        Path model = CreditModels.shared(5, false);
        String sqlite = "jdbc:sqlite:" + dir.resolve("scores.db");
        List<Long> progress = new ArrayList<>();
        BatchScorer.Result result = ServingLauncher.score(model.toString(), null, null,
                new BatchScorer.Options(customersCsv(1000, -1).toString(), null, sqlite, "customer_scores", "customer_id", 300),
                (done, total) -> progress.add(done * 10_000 + total));
        assertThat(result.rows()).isEqualTo(1000);
        assertThat(progress).containsExactly(300L * 10_000 + 1000, 600L * 10_000 + 1000, 900L * 10_000 + 1000, 1000L * 10_000 + 1000);
        assertThat(rows(sqlite, "SELECT count(*) || '/' || count(DISTINCT customer_id) || '/' || min(customer_id) || '/' || "
                + "sum(label IN ('good','bad')) || '/' || sum(probability BETWEEN 0 AND 1) || '/' || min(model_version) "
                + "|| '/' || typeof(customer_id) FROM customer_scores"))
                .containsExactly("1000/1000/100001/1000/1000/1/integer");

        assertThatThrownBy(() -> ServingLauncher.score(model.toString(), null, null,
                new BatchScorer.Options(customersCsv(700, 450).toString(), null, sqlite, "customer_scores", "customer_id", 100), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("purpose").hasMessageContaining("row 451,");  // the 451st data row (0-based index 450)
        assertThat(rows(sqlite, "SELECT count(*) FROM customer_scores")).containsExactly("1000");
        assertThat(rows(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly("customer_scores");
    }

    @Test
    void scored_rows_are_logged_for_monitoring_only_once_the_output_is_committed() throws Exception {
        Path model = CreditModels.shared(5, false);
        Path log = dir.resolve("log");
        java.time.Instant night = java.time.Instant.parse("2026-11-03T02:00:00Z");
        BatchScorer.LogTarget target = new BatchScorer.LogTarget(log, "nightly", night);
        ServingLauncher.score(model.toString(), null, null, new BatchScorer.Options(customersCsv(250, -1).toString(), null,
                dir.resolve("scores.csv").toString(), null, "customer_id", 100), null, target);
        String segments = log.resolve("predictions").toString().replace("'", "''") + "/*.parquet";
        assertThat(rows("jdbc:duckdb:", "SELECT count(*) || '/' || count(DISTINCT request_id) || '/' || min(deployment) || '/' || min(protocol)"
                + " || '/' || min(time) || '/' || max(json_array_length(inputs)) || '/' || min(inputs ->> '$[0].customer_id')"
                + " || '/' || sum((outputs -> '$[0]' ->> 'label') IN ('good', 'bad')) FROM read_parquet('" + segments + "')"))
                .containsExactly("250/250/nightly/batch/2026-11-03 02:00:00/1/100001/250");

        // A run that fails on its third batch has logged nothing, and leaves no staging directory behind.
        assertThatThrownBy(() -> ServingLauncher.score(model.toString(), null, null, new BatchScorer.Options(customersCsv(300, 250).toString(),
                null, dir.resolve("scores2.csv").toString(), null, "customer_id", 100), null, target))
                .isInstanceOf(InvalidInputException.class);
        assertThat(rows("jdbc:duckdb:", "SELECT count(*) FROM read_parquet('" + segments + "')")).containsExactly("250");
        try (var files = Files.list(log)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("predictions");
        }
    }

    @Test
    void a_parquet_output_file_appears_whole_with_a_row_number_id() throws Exception {
        Path model = CreditModels.shared(5, false);
        Path out = dir.resolve("out/scores.parquet");
        ServingLauncher.score(model.toString(), null, null,
                new BatchScorer.Options(customersCsv(50, -1).toString(), null, out.toString(), null, null, 16), null);
        assertThat(rows("jdbc:duckdb:", "SELECT count(*) || '/' || max(CAST(row_number AS INTEGER)) FROM read_parquet('" + out + "')"))
                .containsExactly("50/50");
        try (var files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("scores.parquet");
        }
    }

    @Test
    void a_jdbc_table_is_scored_into_a_csv_file_and_a_missing_id_column_is_named() throws Exception {
        Path model = CreditModels.shared(5, false);
        String db = "jdbc:sqlite:" + dir.resolve("customers.db");
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (customer_id INTEGER, age INTEGER, amount REAL, purpose TEXT)");
            s.execute("INSERT INTO customers VALUES (1, 30, 1200.0, 'car'), (2, 55, NULL, 'education'), (3, 41, 300.5, 'radio/tv')");
        }
        Path out = dir.resolve("scores.csv");
        BatchScorer.Result result = ServingLauncher.score(model.toString(), null, null,
                new BatchScorer.Options(db, "customers", out.toString(), null, "customer_id", 2), null);
        assertThat(result.rows()).isEqualTo(3);
        assertThat(Files.readAllLines(out)).hasSize(4).first().isEqualTo("customer_id,label,probability,model_version,scored_at");
        assertThatThrownBy(() -> ServingLauncher.score(model.toString(), null, null,
                new BatchScorer.Options(db, "customers", out.toString(), null, "client_id", 2), null))
                .hasMessageContaining("client_id").hasMessageContaining("customer_id");
    }
}

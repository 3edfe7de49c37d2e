package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.runtime.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The prediction log writes Parquet segments DuckDB reads, joins feedback, and counts what it drops")
class PredictionLogTest {

    @TempDir
    Path dir;

    static Map<String, Long> count(Path root, String sql) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.formatted(root.toString()))) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void every_request_is_logged_with_id_version_inputs_outputs_and_latency_and_feedback_joins_by_request_id() throws Exception {
        Path model = CreditModels.shared(5, false);
        ServingConfig config = ServingConfig.defaults(dir.resolve("log")).withAliasRefreshInterval(Duration.ZERO);
        try (ServingServer server = new ServingServer(new Serving(config, null, null), "127.0.0.1", 0)) {
            server.start();
            server.deployAsync(DeploymentSpec.single("credit-risk", model.toString()), "test").join();
            Http http = new Http(server.url());
            String firstId = null;
            for (int i = 0; i < 25; i++) {
                JsonNode body = http.post("/api/v1/deployments/credit-risk/predict",
                        "{\"inputs\": {\"age\": " + (20 + i) + ", \"amount\": 1000.0, \"purpose\": \"car\"}}").json();
                if (firstId == null) firstId = body.get("request_id").asText();
            }
            assertThat(http.post("/invocations", "{\"dataframe_records\": [{\"age\": 1}]}").status()).isEqualTo(400);
            Http.Response feedback = http.post("/api/v1/deployments/credit-risk/feedback",
                    "{\"request_id\": \"" + firstId + "\", \"label\": \"bad\"}");
            assertThat(feedback.status()).as(feedback.body()).isEqualTo(202);
            assertThat(http.post("/api/v1/deployments/credit-risk/feedback", "{\"label\": \"bad\"}").status()).isEqualTo(400);
            server.serving().log().flush();
            Path log = server.serving().log().root();
            assertThat(count(log, "SELECT protocol, count(*) FROM read_parquet('%s/predictions/*.parquet') GROUP BY 1"))
                    .containsEntry("cairn", 25L).containsEntry("mlflow", 1L);
            assertThat(count(log, "SELECT p.request_id || '|' || f.label || '|' || json_extract_string(p.inputs, '$[0].age') "
                    + "|| '|' || (p.latency_us >= 0) || '|' || p.model_version, count(*) FROM read_parquet('%1$s/predictions/*.parquet') p "
                    + "JOIN read_parquet('%1$s/feedback/*.parquet') f USING (request_id) GROUP BY 1"))
                    .containsOnlyKeys(firstId + "|bad|20|true|1");
            assertThat(count(log, "SELECT error IS NOT NULL, count(*) FROM read_parquet('%s/predictions/*.parquet') WHERE protocol = 'mlflow' GROUP BY 1"))
                    .containsEntry("true", 1L);
            try (var files = Files.list(log.resolve("predictions"))) {
                assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".parquet"));
            }
        }
    }

    @Test
    void a_full_queue_drops_records_and_counts_every_one() {
        ServingMetrics metrics = new ServingMetrics();
        int offered = 500;
        int accepted = 0;
        try (PredictionLog log = new PredictionLog(dir.resolve("log"), 1, 1.0, 1_000_000, Duration.ofHours(1), metrics)) {
            List<Map<String, Object>> inputs = List.of(Map.of("age", 30L));
            List<Prediction> outputs = List.of(new Prediction("good", Map.of("good", 0.9, "bad", 0.1), null, null));
            for (int i = 0; i < offered; i++) {
                if (log.offer(new PredictionLog.Entry("r" + i, i, "d", "m", "1", false, "cairn", inputs, outputs, null, null, 5))) accepted++;
            }
            log.flush();
            assertThat(log.droppedCount()).isPositive();
            assertThat(log.droppedCount() + log.writtenCount()).isEqualTo(offered);
            assertThat(log.writtenCount()).isEqualTo(accepted);
            assertThat(metrics.scrape()).contains("cairn_prediction_log_dropped_total " + log.droppedCount() + ".0");
        }
    }

    @Test
    void a_flush_returns_with_what_was_queued_before_it_while_traffic_keeps_coming() throws Exception {
        try (PredictionLog log = new PredictionLog(dir.resolve("steady"), 65_536, 1.0, 1_000_000, Duration.ofHours(1), new ServingMetrics())) {
            List<Map<String, Object>> inputs = List.of(Map.of("age", 30L));
            List<Prediction> outputs = List.of(new Prediction("good", Map.of("good", 0.9, "bad", 0.1), null, null));
            for (int i = 0; i < 1000; i++) log.put(new PredictionLog.Entry("before" + i, i, "d", "m", "1", false, "cairn", inputs, outputs, null, null, 5));
            // Traffic that never lets the queue run empty: a flush must not wait for a quiet moment.
            java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread traffic = Thread.ofPlatform().start(() -> {
                for (long i = 0; go.get(); i++) log.offer(new PredictionLog.Entry("during" + i, i, "d", "m", "1", false, "cairn", inputs, outputs, null, null, 5));
            });
            try {
                log.flush();
                assertThat(count(log.root(), "SELECT 'before', count(*) FROM read_parquet('%s/predictions/*.parquet') WHERE request_id LIKE 'before%%'"))
                        .containsEntry("before", 1000L);
            } finally {
                go.set(false);
                traffic.join();
            }
        }
    }

    @Test
    void records_appended_in_many_batches_across_rolls_are_each_in_exactly_one_complete_segment() throws Exception {
        Path root = dir.resolve("rolls");
        List<Map<String, Object>> inputs = List.of(Map.of("age", 30L));
        List<Prediction> outputs = List.of(new Prediction("good", Map.of("good", 0.9, "bad", 0.1), null, null));
        try (PredictionLog log = new PredictionLog(root, 65_536, 1.0, 1_000_000, Duration.ofHours(1), new ServingMetrics())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 5000; i++) {
                    log.put(new PredictionLog.Entry("r" + round + "-" + i, i, "d", "m", "1", false, "cairn", inputs, outputs, null, null, 5));
                    // Pauses let the writer take the records in many small batches, as under live traffic.
                    if (i % 500 == 0) Thread.sleep(25);
                }
                assertThat(log.offer(new PredictionLog.Feedback("r" + round + "-0", 1, "d", "good", null))).isTrue();
                log.flush();
            }
            for (int i = 0; i < 100; i++) log.put(new PredictionLog.Entry("last-" + i, i, "d", "m", "1", false, "cairn", inputs, outputs, null, null, 5));
        }
        // Three flushes and the close: four segments of predictions, three of feedback, each a whole Parquet file.
        try (var files = Files.list(root.resolve("predictions"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(4).allMatch(n -> n.startsWith("predictions-") && n.endsWith(".parquet"));
        }
        try (var files = Files.list(root.resolve("feedback"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(3).allMatch(n -> n.startsWith("feedback-") && n.endsWith(".parquet"));
        }
        assertThat(count(root, "SELECT 'rows', count(*) FROM read_parquet('%s/predictions/*.parquet')")).containsEntry("rows", 15_100L);
        assertThat(count(root, "SELECT 'ids', count(DISTINCT request_id) FROM read_parquet('%s/predictions/*.parquet')")).containsEntry("ids", 15_100L);
        assertThat(count(root, "SELECT label, count(*) FROM read_parquet('%s/feedback/*.parquet') GROUP BY 1")).containsEntry("good", 3L);
    }

}

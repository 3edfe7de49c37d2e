package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.store.Stores;
import dev.cairn.features.FeatureStore;
import dev.cairn.pipeline.example.ExampleFiles;
import dev.cairn.pipeline.example.MasterData;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's exercise, end to end on one {@code cairn server} (SQLite metadata store, local artifacts, pipelines
 * directory holding the master-data example, {@code --online-store} the example's {@code online.db}): the example's
 * feature definitions applied to the server's store, its {@code train-features} pipeline run over REST (materializing
 * the customers' features and training {@code credit-risk-features} on the service's point-in-time training set), the
 * registered model deployed with {@code feature_service: credit_risk}, and predictions asked for with customer ids
 * alone. Each answer is the one the same model gives, deployed without features, to that customer's row of the
 * training set it was trained on; an unknown id is refused naming {@code customer_id}.
 */
class FeatureExerciseTest {
    private static final LocalDate START = LocalDate.of(2024, 3, 1);
    /** The run's time (so the training set's label time and the materialization's as-of): after the newcomers' labels. */
    private static final Instant RUN_TIME = Instant.parse("2024-03-22T03:00:00Z");
    /** The training set's columns that are not the model's inputs. */
    private static final Set<String> NOT_INPUTS = Set.of("customer_id", "label_time", "class");

    @TempDir
    Path dir;

    @Test
    void theModelTrainedOnTheServicesTrainingSetServesFromCustomerIdsAlone() throws Exception {
        Path example = dir.resolve("example");
        ExampleFiles.write(example);
        MasterData data = MasterData.create("jdbc:sqlite:" + example.resolve("master.db"), MasterData.Settings.of(42, START).withHistoryDays(90));
        data.addCustomers(START, 30);
        data.advanceDay(START.plusDays(20)); // the newcomers' labels are known after 14 days

        String artifacts = dir.resolve("artifacts").toUri().toString();
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), artifacts, "127.0.0.1", 0, example.toString(),
                List.of(), false).withOnlineStore("sqlite:" + example.resolve("online.db"));
        // The clock starts at the run's time and runs on; no background jobs, so nothing but this test starts a run.
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), RUN_TIME));
        try (ServerMain.RunningServer server = ServerMain.start(options, clock, false)) {
            Http http = new Http(server.url());
            // cairn features apply features.yaml
            new FeatureStore(server.store().features(), FeatureStore.unconfined(), name -> null)
                    .apply(example.resolve(ExampleFiles.FEATURES), "alice");

            // cairn pipelines run train-features (over REST, as the UI and CLI against a server do)
            Http.Response created = http.post("/api/v1/pipelines/train-features/runs", "{}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode run = awaitEnd(http, created.json().get("run_id").asText());
            assertThat(run.get("run").get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            JsonNode train = stepOutputs(run, "train");

            // The deployment reads the service's features; "plain" is the same model taking whole rows.
            deploy(http, "credit", ", \"feature_service\": \"credit_risk\"");
            deploy(http, "plain", "");
            JsonNode features = http.get("/api/v1/deployments/credit").json().get("features");
            assertThat(features.get("service").asText()).isEqualTo("credit_risk");
            assertThat(features.get("join_keys").toString()).isEqualTo("[\"customer_id\"]");

            // The training set the model was trained on, a row per labelled customer.
            Path set = new Snapshots(Stores.openArtifacts(artifacts))
                    .copyTo(train.get("training_set").asText().substring("snapshot:".length()), dir.resolve("set.parquet"));
            List<Map<String, Object>> rows = rows("jdbc:duckdb:", "SELECT * FROM read_parquet('" + set + "') ORDER BY customer_id");
            assertThat(rows).hasSizeGreaterThan(20);
            List<Map<String, Object>> asked = List.of(rows.get(0), rows.get(rows.size() / 2), rows.getLast());
            // Both views count: the customers asked about have an application and sales in their windows.
            assertThat(asked).allSatisfy(r -> assertThat(r.get("checking_status")).isNotNull())
                    .anySatisfy(r -> assertThat(((Number) r.get("purchases_90d")).longValue()).isPositive());

            ArrayNode ids = Http.JSON.createArrayNode();
            ArrayNode whole = Http.JSON.createArrayNode();
            for (Map<String, Object> row : asked) {
                ids.addObject().putPOJO("customer_id", row.get("customer_id"));
                ObjectNode inputs = whole.addObject();
                row.forEach((column, value) -> {
                    if (!NOT_INPUTS.contains(column)) inputs.putPOJO(column, value);
                });
            }
            JsonNode served = predictions(http, "credit", ids);
            assertThat(served).hasSize(asked.size());
            assertThat(served).isEqualTo(predictions(http, "plain", whole));

            // An id the online store has no record of is refused, naming the field and the value.
            Http.Response unknown = http.post("/api/v1/deployments/credit/predict", "{\"inputs\": {\"customer_id\": 987654}}");
            assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
            JsonNode error = unknown.json().get("details").get("errors").get(0);
            assertThat(error.get("field").asText()).isEqualTo("customer_id");
            assertThat(error.get("value").asText()).isEqualTo("987654");
        }
    }

    private static void deploy(Http http, String name, String extra) {
        Http.Response put = http.put("/api/v1/deployments/" + name,
                "{\"targets\": [{\"model\": \"models:/credit-risk-features/1\", \"weight\": 100}]" + extra + "}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }

    private static JsonNode predictions(Http http, String deployment, JsonNode inputs) {
        Http.Response r = http.post("/api/v1/deployments/" + deployment + "/predict", "{\"inputs\": " + inputs + "}");
        assertThat(r.status()).as(deployment + " " + r.body()).isEqualTo(200);
        return r.json().get("predictions");
    }

    private static JsonNode stepOutputs(JsonNode run, String step) {
        for (JsonNode s : run.get("steps")) {
            if (s.get("id").asText().equals(step)) return s.get("outputs");
        }
        throw new AssertionError("no step " + step + " in " + run);
    }

    private static JsonNode awaitEnd(Http http, String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = http.get("/api/v1/pipelines/runs/" + runId).json();
            String state = run.get("run").get("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) return run;
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end in 2 minutes");
    }

    /** A query's rows, columns by name in their order. */
    private static List<Map<String, Object>> rows(String url, String sql) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }
}

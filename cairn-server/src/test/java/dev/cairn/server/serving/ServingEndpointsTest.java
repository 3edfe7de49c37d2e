package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The serving endpoints answer MLflow, Open Inference Protocol and Cairn requests on a real model")
class ServingEndpointsTest {

    @TempDir
    static Path dir;
    static ServingServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path model = CreditModels.write(dir.resolve("credit-risk"), 10, false);
        ServingConfig config = ServingConfig.defaults(dir.resolve("log"))
                .withLimits(ServingLimits.DEFAULTS.withMaxRows(50).withMaxRequestBytes(64 * 1024))
                .withAliasRefreshInterval(Duration.ZERO);
        server = new ServingServer(new Serving(config, null, null), "127.0.0.1", 0);
        server.start();
        server.deployAsync(DeploymentSpec.single("credit-risk", model.toString()), "test").join();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static final String ROW = "{\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}";

    @Test
    void every_MLflow_input_format_gives_the_same_prediction_for_the_same_row() {
        String[] bodies = {
                "{\"dataframe_split\": {\"columns\": [\"age\", \"amount\", \"purpose\"], \"data\": [[35, 2500.0, \"car\"]]}}",
                "{\"dataframe_records\": [" + ROW + "]}",
                "{\"instances\": [" + ROW + "]}",
                "{\"instances\": [[35, 2500.0, \"car\"]]}",
                "{\"inputs\": {\"age\": [35], \"amount\": [2500.0], \"purpose\": [\"car\"]}}",
                "{\"inputs\": [" + ROW + "], \"params\": {}}",
        };
        Set<String> answers = new HashSet<>();
        for (String body : bodies) {
            Http.Response r = http.post("/invocations", body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(200);
            JsonNode p = r.json().get("predictions").get(0);
            assertThat(p.get("label").asText()).isIn("good", "bad");
            answers.add(p.toString());
        }
        Http.Response csv = http.post("/invocations", "age,amount,purpose\n35,2500.0,car\n40,,education\n", "text/csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.json().get("predictions")).hasSize(2);
        answers.add(csv.json().get("predictions").get(0).toString());
        assertThat(answers).hasSize(1);
        assertThat(csv.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void open_inference_protocol_infers_from_named_tensors_and_from_one_matrix() {
        Http.Response named = http.post("/v2/models/credit-risk/infer", """
                {"id": "req-1", "inputs": [
                  {"name": "age", "shape": [2], "datatype": "INT64", "data": [35, 60]},
                  {"name": "amount", "shape": [2, 1], "datatype": "FP64", "data": [[2500.0], [null]]},
                  {"name": "purpose", "shape": [2], "datatype": "BYTES", "data": ["car", "education"]}]}""");
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        JsonNode body = named.json();
        assertThat(body.get("model_name").asText()).isEqualTo("credit-risk");
        assertThat(body.get("id").asText()).isEqualTo("req-1");
        assertThat(body.get("outputs").get(0).get("shape").toString()).isEqualTo("[2]");
        assertThat(body.get("outputs").get(1).get("shape").toString()).isEqualTo("[2,2]");
        String version = body.get("model_version").asText();

        Http.Response matrix = http.post("/v2/models/credit-risk/versions/" + version + "/infer", """
                {"inputs": [{"name": "input-0", "shape": [1, 3], "datatype": "BYTES", "data": [35, 2500.0, "car"]}]}""");
        assertThat(matrix.status()).as(matrix.body()).isEqualTo(200);
        assertThat(matrix.json().get("outputs").get(0).get("data").get(0).asText())
                .isEqualTo(body.get("outputs").get(0).get("data").get(0).asText());

        assertThat(http.post("/v2/models/credit-risk/versions/999/infer", """
                {"inputs": [{"name": "input-0", "shape": [1, 3], "datatype": "BYTES", "data": [35, 2500.0, "car"]}]}""").status())
                .isEqualTo(404);
        assertThat(http.get("/v2/models/credit-risk").json().get("inputs").get(2).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(http.get("/v2/models/nope").status()).isEqualTo(404);
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
        assertThat(http.get("/v2/models/credit-risk/ready").status()).isEqualTo(200);
    }

    @Test
    void cairn_predict_returns_label_probabilities_version_request_id_and_contributions_when_asked() {
        Http.Response plain = http.post("/api/v1/deployments/credit-risk/predict", "{\"inputs\": " + ROW + "}");
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        JsonNode body = plain.json();
        assertThat(body.get("request_id").asText()).hasSize(36);
        assertThat(body.get("model_version").asText()).isNotBlank();
        JsonNode p = body.get("predictions").get(0);
        assertThat(p.get("probabilities").get("good").asDouble() + p.get("probabilities").get("bad").asDouble()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(p.has("contributions")).isFalse();

        JsonNode explained = http.post("/api/v1/deployments/credit-risk/predict",
                "{\"inputs\": [" + ROW + ", " + ROW + "], \"explain\": true}").json();
        assertThat(explained.get("predictions")).hasSize(2);
        assertThat(explained.get("predictions").get(0).get("contributions").has("age")).isTrue();
    }

    @Test
    void a_bad_request_gets_one_400_listing_every_problem_with_field_value_and_expected() {
        Http.Response r = http.post("/invocations",
                "{\"dataframe_records\": [{\"age\": 7, \"amount\": \"lots\", \"purpose\": \"yacht\"}, {\"amount\": 1.0, \"purpose\": \"car\"}]}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode errors = r.json().get("details").get("errors");
        assertThat(errors.size()).isGreaterThanOrEqualTo(4);
        Set<String> fields = new HashSet<>();
        for (JsonNode e : errors) {
            fields.add(e.get("field").asText() + "@" + e.get("row").asInt());
            assertThat(e.get("expected").asText()).isNotBlank();
        }
        assertThat(fields).contains("age@1", "amount@1", "purpose@1", "age@2");  // rows count from 1
        assertThat(r.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void too_large_bodies_and_too_many_rows_get_413() {
        String big = "{\"dataframe_records\": [" + (ROW + ",").repeat(2000) + ROW + "]}";
        // Expect: 100-continue, as curl sends for large bodies: the server refuses by the declared length
        // before the body is sent (without it, a client may see the reset that follows the answer).
        assertThat(http.postExpectingContinue("/invocations", big).status()).isEqualTo(413);
        String many = "{\"dataframe_records\": [" + (ROW + ",").repeat(60) + ROW + "]}";
        Http.Response r = http.post("/invocations", many);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("message").asText()).contains("limit is 50 rows");
    }

    @Test
    void metrics_expose_request_histograms_per_deployment_and_version_and_the_log_queue() {
        http.post("/invocations", "{\"dataframe_records\": [" + ROW + "]}");
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("cairn_serving_request_seconds_bucket{deployment=\"credit-risk\"");
        assertThat(metrics).contains("cairn_serving_errors_total");
        assertThat(metrics).contains("cairn_prediction_log_queue_depth");
        assertThat(metrics).contains("cairn_prediction_log_dropped_total");
        assertThat(metrics).contains("cairn_serving_in_flight");
    }
}

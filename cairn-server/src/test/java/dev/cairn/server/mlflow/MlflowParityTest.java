package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.Http;
import dev.cairn.server.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour an MLflow client relies on that Cairn once did differently (issue 10): each case is
 * what MLflow's own server answers, checked on the MLflow routes and, where Cairn's /api/v1 has the
 * same operation, there too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowParityTest {

    private static final String MLFLOW = "/api/2.0/mlflow";

    private TestServer server;
    private Http http;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.sqlite(dir);
        http = new Http(server.url);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String q(String s) {
        return MlflowTestServer.q(s);
    }

    private JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? null : response.json();
    }

    private String newRun() {
        String experiment = ok(http.post(MLFLOW + "/experiments/create", "{\"name\": " + q(unique("parity")) + "}"))
                .path("experiment_id").asText();
        return ok(http.post(MLFLOW + "/runs/create", "{\"experiment_id\": " + q(experiment) + "}")).at("/run/info/run_id").asText();
    }

    @Test
    @DisplayName("deleting a version or a model that has aliases deletes the aliases, on both APIs, audited")
    void deletionTakesAliasesAlong() {
        String name = unique("aliased");
        ok(http.post(MLFLOW + "/registered-models/create", "{\"name\": " + q(name) + "}"));
        ok(http.post(MLFLOW + "/model-versions/create", "{\"name\": " + q(name) + ", \"source\": \"mlflow-artifacts:/models/m1\"}"));
        ok(http.post(MLFLOW + "/model-versions/create", "{\"name\": " + q(name) + ", \"source\": \"mlflow-artifacts:/models/m2\"}"));
        ok(http.post(MLFLOW + "/registered-models/alias", "{\"name\": " + q(name) + ", \"alias\": \"champion\", \"version\": \"1\"}"));
        ok(http.post(MLFLOW + "/registered-models/alias", "{\"name\": " + q(name) + ", \"alias\": \"challenger\", \"version\": \"2\"}"));

        ok(http.send("DELETE", MLFLOW + "/model-versions/delete", "{\"name\": " + q(name) + ", \"version\": \"1\"}", "ana"));
        assertThat(http.get(MLFLOW + "/registered-models/alias?name=" + encode(name) + "&alias=champion").status()).isEqualTo(404);
        ok(http.send("DELETE", MLFLOW + "/registered-models/delete", "{\"name\": " + q(name) + "}", "ana"));
        assertThat(http.get(MLFLOW + "/registered-models/get?name=" + encode(name)).status()).isEqualTo(404);
        JsonNode events = ok(http.get("/api/v1/audit?model_name=" + encode(name))).path("events");
        assertThat(events.findValuesAsText("action")).startsWith("MODEL_DELETED", "ALIAS_DELETED", "VERSION_DELETED", "ALIAS_DELETED");

        String other = unique("aliased-v1");
        ok(http.post("/api/v1/registered-models", "{\"name\": " + q(other) + "}"));
        ok(http.post("/api/v1/registered-models/" + other + "/versions", "{\"source\": \"runs:/" + newRun() + "/model\"}"));
        ok(http.send("PUT", "/api/v1/registered-models/" + other + "/aliases/champion", "{\"version\": 1}", null));
        assertThat(http.send("DELETE", "/api/v1/registered-models/" + other, null, "bo").status()).isEqualTo(204);
        assertThat(ok(http.get("/api/v1/audit?model_name=" + other)).path("events").findValuesAsText("action"))
                .startsWith("MODEL_DELETED", "ALIAS_DELETED");
    }

    @Test
    @DisplayName("registered-model names are MLflow's (unicode, '/', ':', leading '_'), URL-encoded on /api/v1 paths")
    void modelNamesAsMlflowAcceptsThem() {
        for (String name : List.of("team/fraud:" + unique("v"), "_" + unique("private"), unique("modèle ünïcode 日本"), unique("a@b"))) {
            ok(http.post(MLFLOW + "/registered-models/create", "{\"name\": " + q(name) + "}"));
            ok(http.post(MLFLOW + "/model-versions/create", "{\"name\": " + q(name) + ", \"source\": \"mlflow-artifacts:/models/model\"}"));
            assertThat(ok(http.get(MLFLOW + "/registered-models/get?name=" + encode(name))).at("/registered_model/name").asText())
                    .isEqualTo(name);
            String path = "/api/v1/registered-models/" + encode(name);
            assertThat(ok(http.get(path)).path("name").asText()).as(path).isEqualTo(name);
            assertThat(ok(http.get(path + "/versions/1")).path("name").asText()).isEqualTo(name);
            ok(http.send("PUT", path + "/aliases/champion", "{\"version\": 1}", null));
            assertThat(ok(http.get(path + "/aliases/champion")).path("version").asLong()).isEqualTo(1);
            // The models:/ URI of such a name resolves.
            JsonNode resolved = ok(http.get("/api/v1/model-versions/resolve?uri=" + encode("models:/" + name + "@champion")));
            assertThat(resolved.toString()).contains("/models/model");
            assertThat(http.send("DELETE", path, null, null).status()).isEqualTo(204);
        }
    }

    @Test
    @DisplayName("GET /health answers OK and GET /version the server's version, as plain text")
    void healthAndVersion() {
        Http.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK");
        assertThat(health.contentType()).startsWith("text/plain");
        Http.Response version = http.get("/version");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body()).isNotBlank();
        assertThat(version.contentType()).startsWith("text/plain");
    }

    @Test
    @DisplayName("bare NaN and Infinity tokens are read as numbers, as MLflow's Python server reads them")
    void nonNumericNumberTokens() {
        String runId = newRun();
        ok(http.post(MLFLOW + "/runs/log-metric", "{\"run_id\": " + q(runId) + ", \"key\": \"loss\", \"value\": NaN, \"timestamp\": 1, \"step\": 0}"));
        ok(http.post(MLFLOW + "/runs/log-batch", "{\"run_id\": " + q(runId) + ", \"metrics\": ["
                + "{\"key\": \"loss\", \"value\": Infinity, \"timestamp\": 2, \"step\": 1},"
                + "{\"key\": \"loss\", \"value\": -Infinity, \"timestamp\": 3, \"step\": 2}]}"));
        ok(http.post("/api/v1/runs/" + runId + "/metrics", "{\"key\": \"loss\", \"value\": NaN, \"timestamp\": 4, \"step\": 3}"));
        JsonNode history = ok(http.get(MLFLOW + "/metrics/get-history?run_id=" + runId + "&metric_key=loss")).path("metrics");
        assertThat(history.findValuesAsText("value")).containsExactly("NaN", "Infinity", "-Infinity", "NaN");
    }

    @Test
    @DisplayName("malformed JSON is refused without hints at the server's JSON library configuration")
    void malformedJsonLeaksNoConfigurationHints() {
        String runId = newRun();
        List<String> bodies = List.of("{'key': 1}", "{\"value\": 01}", "{/* c */ \"key\": 1}", "{\"key\": \"a\nb\"}",
                "{\"value\": +1}", "{\"value\": .5}", "{\"key\": 1,}", "{\"value\": nan}", "{\"value\": 1e}", "{\"key\": \"\\q\"}",
                "# comment\n{}", "{key: 1}");
        for (String body : bodies) {
            for (String path : List.of(MLFLOW + "/runs/log-metric", "/api/v1/runs/" + runId + "/metrics", "/api/v1/experiments")) {
                Http.Response response = http.post(path, body);
                assertThat(response.status()).as(path + " " + body + " -> " + response.body()).isEqualTo(400);
                String message = response.json().path("message").asText();
                assertThat(message).as(path + " " + body).isNotBlank()
                        .doesNotContainIgnoringCase("Feature").doesNotContainIgnoringCase("enable").doesNotContain("jackson");
            }
        }
    }

    @Test
    @DisplayName("a known path with the wrong HTTP method is 405 with a JSON error body")
    void wrongMethodIs405() {
        for (String[] call : new String[][] {{"GET", MLFLOW + "/runs/create"}, {"POST", MLFLOW + "/runs/get"},
                {"PUT", "/ajax-api/2.0/mlflow/experiments/search"}, {"DELETE", "/api/v1/experiments"}, {"POST", "/health"}}) {
            Http.Response response = http.send(call[0], call[1], call[0].equals("GET") ? null : "{}", null);
            assertThat(response.status()).as(call[0] + " " + call[1] + " -> " + response.body()).isEqualTo(405);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
            assertThat(response.json().path("message").asText()).contains(call[0]);
        }
        assertThat(http.get(MLFLOW + "/no/such/path").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("deleting an already-deleted experiment is 404 RESOURCE_DOES_NOT_EXIST")
    void deletingADeletedExperiment() {
        String id = ok(http.post(MLFLOW + "/experiments/create", "{\"name\": " + q(unique("twice")) + "}")).path("experiment_id").asText();
        ok(http.post(MLFLOW + "/experiments/delete", "{\"experiment_id\": " + q(id) + "}"));
        Http.Response again = http.post(MLFLOW + "/experiments/delete", "{\"experiment_id\": " + q(id) + "}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.send("DELETE", "/api/v1/experiments/" + id, null, null).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("stages given as a repeated query parameter, with or without [], select the stages")
    void stagesQueryArrays() {
        String name = unique("staged");
        ok(http.post(MLFLOW + "/registered-models/create", "{\"name\": " + q(name) + "}"));
        for (String stage : List.of("Production", "Staging", "Archived")) {
            String version = ok(http.post(MLFLOW + "/model-versions/create", "{\"name\": " + q(name) + ", \"source\": \"mlflow-artifacts:/models/m\"}"))
                    .at("/model_version/version").asText();
            ok(http.post(MLFLOW + "/model-versions/transition-stage",
                    "{\"name\": " + q(name) + ", \"version\": " + q(version) + ", \"stage\": " + q(stage) + "}"));
        }
        for (String query : List.of("&stages=Production&stages=Staging", "&stages[]=Production&stages[]=Staging",
                "&stages%5B%5D=Production&stages%5B%5D=Staging")) {
            JsonNode latest = ok(http.get(MLFLOW + "/registered-models/get-latest-versions?name=" + name + query));
            assertThat(latest.path("model_versions").findValuesAsText("current_stage")).as(query)
                    .containsExactlyInAnyOrder("Production", "Staging");
            JsonNode v1 = ok(http.get("/api/v1/registered-models/" + name + "/latest-versions?" + query.substring(1)));
            assertThat(v1.path("model_versions").findValuesAsText("current_stage")).as(query)
                    .containsExactlyInAnyOrder("Production", "Staging");
        }
        JsonNode one = ok(http.get(MLFLOW + "/registered-models/get-latest-versions?name=" + name + "&stages=Archived"));
        assertThat(one.path("model_versions").findValuesAsText("current_stage")).containsExactly("Archived");
    }
}

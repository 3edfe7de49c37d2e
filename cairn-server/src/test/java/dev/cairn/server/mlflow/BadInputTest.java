package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a client sends, the MLflow API answers with MLflow's error shape and a 4xx naming the
 * problem, never a 500, and stores nothing of a refused request.
 */
class BadInputTest {

    @TempDir
    static Path dir;

    private static MlflowTestServer server;
    private String experimentId;
    private String runId;

    @BeforeAll
    static void start() {
        server = MlflowTestServer.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void createRun() {
        experimentId = server.ok("/api/2.0/mlflow/experiments/create",
                "{\"name\": " + q("bad-input-" + System.nanoTime()) + "}").get("experiment_id").asText();
        runId = server.ok("/api/2.0/mlflow/runs/create",
                "{\"experiment_id\": " + q(experimentId) + ", \"start_time\": 1}").at("/run/info/run_id").asText();
    }

    @Test
    @DisplayName("Unknown ids are 404 RESOURCE_DOES_NOT_EXIST")
    void unknownIds() {
        String missingRun = "0123456789abcdef0123456789abcdef";
        assertError(server.get("/api/2.0/mlflow/runs/get?run_id=" + missingRun), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/experiments/get?experiment_id=987654"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope"), 404, "RESOURCE_DOES_NOT_EXIST", "nope");
        assertError(server.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(missingRun)
                + ", \"key\": \"k\", \"value\": 1, \"timestamp\": 1}"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(missingRun)
                + ", \"metrics\": [{\"key\": \"k\", \"value\": 1, \"timestamp\": 1}]}"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.post("/api/2.0/mlflow/runs/update", "{\"run_id\": " + q(missingRun) + ", \"status\": \"FINISHED\"}"),
                404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + missingRun + "&metric_key=k"),
                404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/registered-models/get?name=nope"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/model-versions/get?name=nope&version=1"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/registered-models/alias?name=nope&alias=champion"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"987654\"}"), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/nothing-here.txt"),
                404, "RESOURCE_DOES_NOT_EXIST", null);
    }

    @Test
    @DisplayName("Missing required fields are named with MLflow's message")
    void missingFields() {
        assertError(server.post("/api/2.0/mlflow/experiments/create", "{}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'");
        assertError(server.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId) + ", \"value\": 1, \"timestamp\": 1}"),
                400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'key'");
        assertError(server.post("/api/2.0/mlflow/runs/log-metric", "{\"key\": \"k\", \"value\": 1, \"timestamp\": 1}"),
                400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'run_id'");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId) + ", \"metrics\": [{\"key\": \"k\", \"value\": 1}]}"),
                400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'metrics[0].timestamp'");
        assertError(server.get("/api/2.0/mlflow/runs/get"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'run_id'");
        assertError(server.post("/api/2.0/mlflow/model-versions/create", "{\"name\": \"m\"}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'source'");
        assertError(server.post("/api/2.0/mlflow/runs/log-model", "{\"run_id\": " + q(runId) + ", \"model_json\": \"{\\\"flavors\\\": {}}\"}"),
                400, "INVALID_PARAMETER_VALUE", "artifact_path");
        assertError(server.post("/api/2.0/mlflow/runs/log-model", "{\"run_id\": " + q(runId) + ", \"model_json\": \"not json\"}"),
                400, "INVALID_PARAMETER_VALUE", "'model_json'");
    }

    @Test
    @DisplayName("Wrong types are 400s naming the field, and int64 fields accept numbers or strings")
    void wrongTypes() {
        assertError(server.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId)
                + ", \"key\": \"k\", \"value\": \"high\", \"timestamp\": 1}"), 400, "INVALID_PARAMETER_VALUE", "'value'");
        assertError(server.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId)
                + ", \"key\": \"k\", \"value\": 1, \"timestamp\": \"yesterday\"}"), 400, "INVALID_PARAMETER_VALUE", "'timestamp'");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId)
                + ", \"metrics\": [{\"key\": \"k\", \"value\": 1, \"timestamp\": 1, \"step\": [2]}]}"),
                400, "INVALID_PARAMETER_VALUE", "'metrics[0].step'");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId) + ", \"params\": {\"a\": \"b\"}}"),
                400, "INVALID_PARAMETER_VALUE", "'params'");
        assertError(server.post("/api/2.0/mlflow/runs/update", "{\"run_id\": " + q(runId) + ", \"status\": \"DONE\"}"),
                400, "INVALID_PARAMETER_VALUE", "'status'");
        assertError(server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": " + q(experimentId) + "}"),
                400, "INVALID_PARAMETER_VALUE", "'experiment_ids'");
        assertError(server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [" + q(experimentId) + "], \"max_results\": 50001}"),
                400, "INVALID_PARAMETER_VALUE", "'max_results'");
        assertError(server.get("/api/2.0/mlflow/model-versions/get?name=m&version=one"), 400, "INVALID_PARAMETER_VALUE", "'version'");
        assertError(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(experimentId) + ", \"start_time\": \"noon\"}"),
                400, "INVALID_PARAMETER_VALUE", "'start_time'");

        // The MLflow Java client sends int64 fields as strings; both spellings are stored alike.
        server.ok("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId)
                + ", \"run_uuid\": " + q(runId) + ", \"key\": \"k\", \"value\": 1.5, \"timestamp\": \"1700000000000\", \"step\": \"3\"}");
        server.ok("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId)
                + ", \"key\": \"k\", \"value\": \"NaN\", \"timestamp\": 1700000000001, \"step\": 4, \"unknown_field\": {\"x\": 1}}");
        JsonNode history = server.okGet("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=k");
        assertThat(history.get("metrics")).hasSize(2);
        assertThat(history.at("/metrics/0/timestamp").isIntegralNumber()).isTrue();
        assertThat(history.at("/metrics/0/timestamp").asLong()).isEqualTo(1700000000000L);
        assertThat(history.at("/metrics/0/step").asLong()).isEqualTo(3);
        assertThat(history.at("/metrics/1/value").asText()).isEqualTo("NaN");
    }

    @Test
    @DisplayName("Over-limit batches are 400s naming the limit, and nothing of them is stored")
    void overLimitBatches() {
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", batch(1001, 0, 0)), 400, "INVALID_PARAMETER_VALUE",
                "at most 1000 metrics");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", batch(0, 101, 0)), 400, "INVALID_PARAMETER_VALUE",
                "at most 100 params");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", batch(0, 0, 101)), 400, "INVALID_PARAMETER_VALUE",
                "at most 100 tags");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", batch(950, 60, 0)), 400, "INVALID_PARAMETER_VALUE",
                "at most 1000 metrics, params, and tags");
        JsonNode run = server.okGet("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertThat(run.at("/run/data").has("metrics")).isFalse();
        assertThat(run.at("/run/data").has("params")).isFalse();

        server.ok("/api/2.0/mlflow/runs/log-batch", batch(900, 50, 50));
        JsonNode full = server.okGet("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertThat(full.at("/run/data/params")).hasSize(50);
    }

    @Test
    @DisplayName("A batch that changes a logged param is refused whole")
    void paramChangeRefusesTheWholeBatch() {
        server.ok("/api/2.0/mlflow/runs/log-parameter", "{\"run_id\": " + q(runId) + ", \"key\": \"lr\", \"value\": \"0.1\"}");
        assertError(server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId)
                        + ", \"metrics\": [{\"key\": \"loss\", \"value\": 1, \"timestamp\": 1}],"
                        + " \"params\": [{\"key\": \"lr\", \"value\": \"0.2\"}], \"tags\": [{\"key\": \"t\", \"value\": \"v\"}]}"),
                400, "INVALID_PARAMETER_VALUE", "lr");
        JsonNode run = server.okGet("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertThat(run.at("/run/data").has("metrics")).isFalse();
        assertThat(run.at("/run/data/params/0/value").asText()).isEqualTo("0.1");
    }

    @Test
    @DisplayName("A name in use is RESOURCE_ALREADY_EXISTS with MLflow's status 400")
    void alreadyExists() {
        server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"taken-" + runId + "\"}");
        assertError(server.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"taken-" + runId + "\"}"),
                400, "RESOURCE_ALREADY_EXISTS", null);
        server.ok("/api/2.0/mlflow/registered-models/create", "{\"name\": \"taken-" + runId + "\"}");
        assertError(server.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"taken-" + runId + "\"}"),
                400, "RESOURCE_ALREADY_EXISTS", null);
    }

    @Test
    @DisplayName("Unsafe artifact paths and model sources are refused")
    void unsafePaths() {
        for (String path : List.of("..%2F..%2Fetc%2Fpasswd", "a/../../b", "./x")) {
            HttpResponse<String> response = server.get("/api/2.0/mlflow-artifacts/artifacts/" + path);
            assertThat(response.statusCode()).as(path).isBetween(400, 404);
        }
        assertError(server.get("/api/2.0/mlflow-artifacts/artifacts?path=../x"), 400, "INVALID_PARAMETER_VALUE", "'path'");
        assertError(server.post("/api/2.0/mlflow/model-versions/create", "{\"name\": \"m\", \"source\": \"s3://bucket/a/../../b\"}"),
                400, "INVALID_PARAMETER_VALUE", "source");
        assertError(server.post("/api/2.0/mlflow/model-versions/create", "{\"name\": \"m\", \"source\": \"/etc\"}"),
                400, "INVALID_PARAMETER_VALUE", "source");
    }

    @Test
    @DisplayName("No malformed body on any endpoint gets a 500")
    void malformedBodiesNeverGiveA500() {
        List<String> bodies = new ArrayList<>(List.of(
                "", "{", "}", "[]", "null", "42", "\"text\"", "\"{\\\"name\\\": 5}\"", "{\"a\":}", "{'a': 1}",
                "{\"run_id\": 5}", "{\"run_id\": []}", "{\"run_id\": {}}", "{\"run_id\": null}", "{\"run_id\": true}",
                "{\"experiment_id\": 1.5}", "{\"name\": [\"x\"]}", "{\"name\": \"\\u0000\"}",
                "{\"metrics\": \"x\"}", "{\"metrics\": [1]}", "{\"metrics\": [{\"key\": 1}]}", "{\"params\": [null]}",
                "{\"tags\": [{\"key\": null, \"value\": 1}]}", "{\"timestamp\": 1e400}", "{\"step\": 99999999999999999999999}",
                "{\"value\": \"1e999\"}", "{\"version\": -1}", "{\"version\": \"0x1\"}", "{\"stages\": \"Production\"}",
                "{\"max_results\": -5}", "{\"max_results\": \"lots\"}", "{\"order_by\": [1, 2]}", "{\"view_type\": 99}",
                "{\"run_view_type\": \"SOME\"}", "{\"archive_existing_versions\": \"maybe\"}", "{\"datasets\": [{}]}",
                "{\"datasets\": [{\"dataset\": {\"name\": 1}}]}", "{\"parts\": \"all\"}", "{\"num_parts\": 0}",
                "{\"path\": \"../../etc/passwd\"}", "{\"page_token\": \"garbage\"}", "{\"source\": \"s3://b/%zz/..%252f..%252fx\", \"artifact_location\": \"file:/tmp/%zz\"}", "{\"order_by\": [\"nonsense sideways\"]}",
                "{\"experiment_ids\": [\"x\", null]}", "{\"model_json\": \"[1]\"}", "{\"filter\": \"metrics.x >>> 1\"}", "{\"filter\": \"(((\"}",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\": " + "[".repeat(3000) + "]".repeat(3000) + "}",
                "{\"name\": \"" + "x".repeat(100_000) + "\"}"));
        // The same run in every body, so endpoints get past "missing run_id" to the broken field.
        int plain = bodies.size();
        for (int i = 0; i < plain; i++) {
            String body = bodies.get(i);
            if (body.startsWith("{\"") && !body.contains("run_id")) {
                bodies.add("{\"run_id\": " + q(runId) + ", \"experiment_id\": " + q(experimentId) + ", \"name\": \"m\", \"key\": \"k\", "
                        + body.substring(1));
            }
        }
        List<String> postPaths = List.of(
                "experiments/create", "experiments/search", "experiments/update", "experiments/delete", "experiments/restore",
                "experiments/set-experiment-tag", "runs/create", "runs/update", "runs/delete", "runs/restore", "runs/search",
                "runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag", "runs/log-batch", "runs/log-inputs",
                "runs/log-model",
                "registered-models/create", "registered-models/rename", "registered-models/set-tag",
                "registered-models/get-latest-versions", "registered-models/alias", "model-versions/create",
                "model-versions/transition-stage", "model-versions/set-tag");
        List<String> failures = new ArrayList<>();
        for (String path : postPaths) {
            for (String body : bodies) {
                check(failures, "POST", "/api/2.0/mlflow/" + path, body);
            }
        }
        for (String path : List.of("registered-models/update", "model-versions/update")) {
            for (String body : bodies) check(failures, "PATCH", "/api/2.0/mlflow/" + path, body);
        }
        for (String path : List.of("registered-models/delete", "registered-models/delete-tag", "registered-models/alias",
                "model-versions/delete", "model-versions/delete-tag")) {
            for (String body : bodies) check(failures, "DELETE", "/api/2.0/mlflow/" + path, body);
        }
        for (String path : List.of("mpu/create/x", "mpu/complete/x", "mpu/abort/x")) {
            for (String body : bodies) check(failures, "POST", "/api/2.0/mlflow-artifacts/" + path, body);
        }
        List<String> queries = List.of("", "?run_id=", "?run_id=%00", "?run_id=" + runId + "&metric_key=",
                "?experiment_id=abc", "?max_results=-1", "?max_results=x", "?view_type=7", "?name=m&version=x",
                "?name=m&version=99999999999999999999", "?name=&alias=", "?filter=((", "?order_by=nonsense%20sideways",
                "?page_token=garbage", "?run_id=" + runId + "&metric_key=k&max_results=0");
        for (String path : List.of("experiments/get", "experiments/get-by-name", "experiments/search", "runs/get",
                "metrics/get-history", "artifacts/list", "registered-models/get", "registered-models/search", "registered-models/alias",
                "registered-models/get-latest-versions", "model-versions/get", "model-versions/search",
                "model-versions/get-download-uri")) {
            for (String query : queries) check(failures, "GET", "/api/2.0/mlflow/" + path + query, null);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    @DisplayName("Filters nested too deep or with too many terms are 400s naming the limit, on every search")
    void oversizedFilters() {
        String deep = "(".repeat(20_000) + "metrics.a > 1" + ")".repeat(20_000);
        String many = String.join(" AND ", java.util.Collections.nCopies(999, "metrics.a > 1"));
        String manyOr = String.join(" OR ", java.util.Collections.nCopies(1500, "name = 'x'"));
        for (String[] filter : new String[][] {{deep, "filter nests parentheses deeper than 100 levels"},
                {many, "filter has more than 200 terms"}, {manyOr, "filter has more than 200 terms"}}) {
            assertError(server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [" + q(experimentId) + "], \"filter\": "
                    + q(filter[0]) + "}"), 400, "INVALID_PARAMETER_VALUE", filter[1]);
            assertError(server.post("/api/2.0/mlflow/experiments/search", "{\"filter\": " + q(filter[0]) + "}"),
                    400, "INVALID_PARAMETER_VALUE", filter[1]);
        }
        // The registry's searches are GETs: filters over the limits but short enough for a URL.
        String deepShort = "(".repeat(150) + "name = 'x'" + ")".repeat(150);
        String manyShort = String.join(" OR ", java.util.Collections.nCopies(250, "name = 'x'"));
        for (String[] filter : new String[][] {{deepShort, "filter nests parentheses deeper than 100 levels"},
                {manyShort, "filter has more than 200 terms"}}) {
            for (String search : List.of("registered-models/search", "model-versions/search")) {
                assertError(server.get("/api/2.0/mlflow/" + search + "?filter=" + java.net.URLEncoder.encode(filter[0], StandardCharsets.UTF_8)),
                        400, "INVALID_PARAMETER_VALUE", filter[1]);
            }
        }
        // Each order_by key on a metric is a join, and SQLite joins at most 64 tables: 20 keys are served, more refused.
        for (int keys : new int[] {20, 100}) {
            String orderBy = String.join(", ", java.util.stream.IntStream.range(0, keys).mapToObj(i -> "\"metrics.m" + i + " DESC\"").toList());
            HttpResponse<String> response = server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [" + q(experimentId)
                    + "], \"order_by\": [" + orderBy + "]}");
            if (keys == 20) assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            else assertError(response, 400, "INVALID_PARAMETER_VALUE", "more than 20 keys");
        }
    }

    @Test
    @DisplayName("An artifact name over 255 bytes is a 400 naming the limit, not a file-system error")
    void overlongArtifactNames() {
        for (String name : List.of("a".repeat(256), "é".repeat(200), "dir/" + "x".repeat(300) + ".txt")) {
            HttpResponse<String> put = server.send(HttpRequest.newBuilder(URI.create(server.url + "/api/2.0/mlflow-artifacts/artifacts/"
                            + experimentId + "/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%2F", "/")))
                    .PUT(HttpRequest.BodyPublishers.ofString("data")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(put, 400, "INVALID_PARAMETER_VALUE", "at most 255 bytes");
            assertThat(put.body()).doesNotContain(dir.toString());
        }
    }

    @Test
    @DisplayName("A body that is not UTF-8 or not JSON is a 400 MALFORMED_REQUEST")
    void notJson() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.url + "/api/2.0/mlflow/runs/log-batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xfe, '{', 0})).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertError(response, 400, "MALFORMED_REQUEST", "JSON");
    }

    private void check(List<String> failures, String method, String path, String body) {
        HttpResponse<String> response = server.send(method, path, body);
        String shown = method + " " + path + " " + (body == null ? "" : body.length() > 80 ? body.substring(0, 80) + "…" : body);
        if (response.statusCode() >= 500) {
            failures.add(shown + " -> " + response.statusCode() + " " + response.body());
            return;
        }
        if (response.statusCode() >= 400) {
            JsonNode error = MlflowTestServer.json(response.body());
            if (!error.hasNonNull("error_code") || !error.hasNonNull("message")) {
                failures.add(shown + " -> error without error_code/message: " + response.body());
            }
        }
    }

    private String batch(int metrics, int params, int tags) {
        StringJoiner m = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < metrics; i++) m.add("{\"key\": \"m" + i + "\", \"value\": " + i + ", \"timestamp\": 1, \"step\": 0}");
        StringJoiner p = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < params; i++) p.add("{\"key\": \"p" + i + "\", \"value\": \"v\"}");
        StringJoiner t = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < tags; i++) t.add("{\"key\": \"t" + i + "\", \"value\": \"v\"}");
        return "{\"run_id\": " + q(runId) + ", \"metrics\": " + m + ", \"params\": " + p + ", \"tags\": " + t + "}";
    }

    static void assertError(HttpResponse<String> response, int status, String errorCode, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = MlflowTestServer.json(response.body());
        assertThat(body.get("error_code").asText()).as(response.body()).isEqualTo(errorCode);
        if (messagePart != null) {
            assertThat(body.get("message").asText()).contains(messagePart);
        }
    }
}

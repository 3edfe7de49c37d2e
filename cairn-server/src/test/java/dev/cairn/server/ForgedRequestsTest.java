package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.text.Printable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8 on a real {@code cairn server}: bodies a browser can send cross-site without a preflight (text/plain,
 * forms, no type) are refused with 415 on JSON routes of both APIs; audit values with newlines print on one line; a
 * registered version (or model) a deployment serves, and its artifacts, cannot be deleted from under it (409).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgedRequestsTest {
    static final Path CREDIT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk/credit-g.csv");
    static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    ServerMain.RunningServer running;
    Http http;
    HttpClient client = HttpClient.newHttpClient();
    String runId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.copy(CREDIT, data.resolve("credit-g.csv"));
        ServerOptions options = ServerOptions.parse(List.of("--store", "sqlite:" + dir.resolve("cairn.db"),
                "--artifacts", dir.resolve("artifacts").toUri().toString(), "--port", "0", "--data-root", data.toString()));
        running = ServerMain.start(options, java.time.Clock.systemUTC(), false);
        http = new Http(running.url());
        ObjectNode train = JSON.createObjectNode().put("data", "credit-g.csv").put("label", "class").put("algorithm", "baseline");
        Http.Response trained = http.post("/api/v1/training/runs", train.toString());
        assertThat(trained.status()).as(trained.body()).isEqualTo(201);
        runId = trained.json().path("run_id").asText();
    }

    @AfterAll
    void stop() {
        if (running != null) running.close();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(running.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonRoutesRefuseBodiesABrowserCanSendCrossSite() throws Exception {
        assertThat(http.post("/api/v1/registered-models", "{\"name\": \"forged\"}").status()).isEqualTo(201);
        record Call(String method, String path, String body) {}
        List<Call> calls = List.of(
                new Call("PUT", "/api/v1/registered-models/forged/aliases/champion", "{\"version\": 1}"),
                new Call("POST", "/api/v1/experiments", "{\"name\": \"forged\"}"),
                new Call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\": \"forged-mlflow\"}"),
                new Call("POST", "/ajax-api/2.0/mlflow/experiments/create", "{\"name\": \"forged-ajax\"}"),
                new Call("POST", "/api/2.0/mlflow/registered-models/alias", "{\"name\": \"forged\", \"alias\": \"champion\", \"version\": \"1\"}"),
                new Call("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\": \"forged\"}"),
                new Call("PUT", "/api/v1/deployments/forged", "{\"targets\": [{\"model\": \"models:/forged/1\", \"weight\": 1}]}"),
                new Call("POST", "/api/v1/data/profile", "{\"source\": {\"path\": \"credit-g.csv\"}}"));
        for (Call call : calls) {
            for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", null}) {
                HttpResponse<String> response = send(call.method(), call.path(), type, call.body());
                assertThat(response.statusCode()).as(call + " as " + type + ": " + response.body()).isEqualTo(415);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.path("error_code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
                assertThat(body.path("details").path("field").asText()).isEqualTo("Content-Type");
            }
        }
        assertThat(running.store().experiments().getExperimentByName("forged")).isEmpty();
        assertThat(running.store().registry().getRegisteredModel("forged").name()).isEqualTo("forged");

        // JSON, with or without a charset, and +json types still work; so do the inference routes' documented types.
        assertThat(send("POST", "/api/v1/experiments", "application/json; charset=utf-8", "{\"name\": \"json-ok\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "application/vnd.api+json", "{\"name\": \"json-ok-2\"}").statusCode())
                .isEqualTo(200);
        // A bodiless POST without a type reads nothing and is not refused for its type.
        assertThat(send("POST", "/api/v1/deployments/none/rollback", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void auditValuesWithNewlinesAndEscapesPrintOnOneLine() throws Exception {
        String forged = "mallory\n2026-01-01T00:00:00Z  admin  ALIAS_SET  credit  1\u001b[2K\rx";
        // The actor comes from the body's "user" (an HTTP header cannot hold a newline).
        assertThat(http.post("/api/v1/registered-models", "{\"name\": \"audited\"}").status()).isEqualTo(201);
        Http.Response version = http.post("/api/v1/registered-models/audited/versions",
                JSON.createObjectNode().put("source", "runs:/" + runId + "/model").put("user", forged).toString());
        assertThat(version.status()).as(version.body()).isEqualTo(201);
        Http.Response alias = http.send("PUT", "/api/v1/registered-models/audited/aliases/champion",
                JSON.createObjectNode().put("version", 1).put("comment", "ok\nFORGED LINE").put("user", forged).toString(), null);
        assertThat(alias.status()).as(alias.body()).isBetween(200, 201);
        List<AuditEvent> events = running.store().registry().listAuditEvents("audited", 100, null).items();
        assertThat(events).anySatisfy(e -> assertThat(e.actor()).isEqualTo(forged));
        assertThat(events).isNotEmpty();
        for (AuditEvent e : events) {
            for (String value : new String[] {e.actor(), e.comment(), e.modelName()}) {
                String printed = Printable.escape(value);
                if (printed != null) assertThat(printed).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b");
            }
        }
        assertThat(Printable.escape(forged)).isEqualTo("mallory\\n2026-01-01T00:00:00Z  admin  ALIAS_SET  credit  1\\u001b[2K\\rx");
        // The JSON answer escapes them as JSON does: one event per element, no line of its own.
        Http.Response audit = http.get("/api/v1/registered-models/audited/audit");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).doesNotContain("\n2026-01-01");
    }

    @Test
    void aServedVersionItsModelAndItsArtifactsCannotBeDeleted() throws Exception {
        assertThat(http.post("/api/v1/registered-models", "{\"name\": \"served\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/v1/registered-models/served/versions",
                JSON.createObjectNode().put("source", "runs:/" + runId + "/model").toString()).status()).isEqualTo(201);
        Http.Response deployed = http.send("PUT", "/api/v1/deployments/live",
                "{\"targets\": [{\"model\": \"models:/served/1\", \"weight\": 1}]}", null);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);

        for (Http.Response refused : List.of(
                http.send("DELETE", "/api/v1/registered-models/served/versions/1", null, null),
                http.send("DELETE", "/api/v1/registered-models/served", null, null),
                http.send("DELETE", "/api/2.0/mlflow/model-versions/delete", "{\"name\": \"served\", \"version\": \"1\"}", null),
                http.send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\": \"served\"}", null))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("error_code").asText()).isEqualTo("RESOURCE_IN_USE");
            assertThat(refused.json().path("details").path("deployment").asText()).isEqualTo("live");
        }
        assertThat(running.store().registry().getModelVersion("served", 1).version()).isEqualTo(1);

        // The version's package, in its run's artifacts: deleting it (or the run's whole artifact directory) is refused too.
        String artifactUri = running.store().runs().getRun(runId).info().artifactUri();
        String root = dir.resolve("artifacts").toUri().toString();
        String relative = Path.of(URI.create(root)).relativize(Path.of(URI.create(artifactUri))).toString().replace('\\', '/');
        for (String path : List.of(relative + "/model", relative + "/model/model.yaml", relative)) {
            Http.Response refused = http.send("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + path, null, null);
            assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(409);
        }
        assertThat(Path.of(URI.create(artifactUri)).resolve("model/model.yaml")).exists();

        // Once no deployment serves it, the version can go.
        assertThat(http.send("DELETE", "/api/v1/deployments/live", null, null).status()).isEqualTo(200);
        assertThat(http.send("DELETE", "/api/v1/registered-models/served/versions/1", null, null).status()).isEqualTo(204);
    }
}

package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.server.api.Actors;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON Cairn answers with is MLflow's, field for field, whichever way a client spells its request. */
class MlflowWireFormatTest {

    @TempDir
    static Path dir;

    private static MlflowTestServer server;

    @BeforeAll
    static void start() {
        server = MlflowTestServer.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @DisplayName("Runs come back as MLflow prints them: int64 as numbers, enums by name, unset fields left out")
    void runWireFormat() {
        String experimentId = server.ok("/api/2.0/mlflow/experiments/create",
                "{\"name\": \"wire\", \"tags\": [{\"key\": \"owner\", \"value\": \"ana\"}], \"unknown\": [1, 2]}").get("experiment_id").asText();
        JsonNode created = server.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(experimentId)
                + ", \"start_time\": \"1700000000000\", \"run_name\": \"first\", \"tags\": [{\"key\": \"mlflow.user\", \"value\": \"ana\"}]}");
        JsonNode info = created.at("/run/info");
        String runId = info.get("run_id").asText();
        assertThat(info.get("run_uuid").asText()).isEqualTo(runId);
        assertThat(info.get("run_name").asText()).isEqualTo("first");
        assertThat(info.get("status").asText()).isEqualTo("RUNNING");
        assertThat(info.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(info.get("start_time").isIntegralNumber()).isTrue();
        assertThat(info.get("start_time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(info.has("end_time")).isFalse();
        assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

        JsonNode updated = server.ok("/api/2.0/mlflow/runs/update",
                "{\"run_uuid\": " + q(runId) + ", \"status\": 3, \"end_time\": 1700000000500}");
        assertThat(updated.at("/run_info/status").asText()).isEqualTo("FINISHED");
        assertThat(updated.at("/run_info/end_time").isIntegralNumber()).isTrue();
        assertThat(updated.at("/run_info/end_time").asLong()).isEqualTo(1_700_000_000_500L);

        JsonNode experiment = server.okGet("/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId).get("experiment");
        assertThat(experiment.get("creation_time").isIntegralNumber()).isTrue();
        assertThat(experiment.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(experiment.at("/tags/0/key").asText()).isEqualTo("owner");

        // Older clients double-encode their JSON body as a string; MLflow decodes it again.
        server.ok("/api/2.0/mlflow/runs/set-tag", q("{\"run_id\": \"" + runId + "\", \"key\": \"k\", \"value\": \"v\"}"));
        JsonNode run = server.okGet("/api/2.0/mlflow/runs/get?run_uuid=" + runId + "&run_id=" + runId).get("run");
        assertThat(run.at("/data/tags").findValuesAsText("key")).contains("k", "mlflow.user");
        assertThat(run.get("data").has("metrics")).isFalse();
    }

    @Test
    @DisplayName("Registry objects come back as MLflow prints them: versions as strings, aliases on model and version")
    void registryWireFormat() {
        JsonNode model = server.ok("/api/2.0/mlflow/registered-models/create",
                "{\"name\": \"fraud\", \"tags\": [{\"key\": \"domain\", \"value\": \"payments\"}]}").get("registered_model");
        assertThat(model.get("creation_timestamp").isIntegralNumber()).isTrue();
        assertThat(model.at("/tags/0/value").asText()).isEqualTo("payments");
        JsonNode version = server.ok("/api/2.0/mlflow/model-versions/create",
                "{\"name\": \"fraud\", \"source\": \"mlflow-artifacts:/models/fraud/1\", \"description\": \"first\"}").get("model_version");
        assertThat(version.get("version").isTextual()).isTrue();
        assertThat(version.get("version").asText()).isEqualTo("1");
        assertThat(version.get("current_stage").asText()).isEqualTo("None");
        assertThat(version.get("source").asText()).isEqualTo("mlflow-artifacts:/models/fraud/1");
        server.ok("/api/2.0/mlflow/registered-models/alias", "{\"name\": \"fraud\", \"alias\": \"prod\", \"version\": 1}");

        JsonNode read = server.okGet("/api/2.0/mlflow/registered-models/get?name=fraud").get("registered_model");
        assertThat(read.at("/aliases/0/alias").asText()).isEqualTo("prod");
        assertThat(read.at("/aliases/0/version").isTextual()).isTrue();
        assertThat(read.at("/aliases/0/version").asText()).isEqualTo("1");
        assertThat(server.okGet("/api/2.0/mlflow/model-versions/get?name=fraud&version=1").at("/model_version/aliases/0").asText())
                .isEqualTo("prod");
        assertThat(server.okGet("/api/2.0/mlflow/model-versions/get-download-uri?name=fraud&version=1").get("artifact_uri").asText())
                .isEqualTo("mlflow-artifacts:/models/fraud/1");

        server.ok(server.send("PATCH", "/api/2.0/mlflow/model-versions/update",
                "{\"name\": \"fraud\", \"version\": \"1\", \"description\": \"second\"}"));
        server.ok(server.send("PATCH", "/api/2.0/mlflow/registered-models/update", "{\"name\": \"fraud\", \"description\": \"d\"}"));
        server.ok("/api/2.0/mlflow/model-versions/set-tag", "{\"name\": \"fraud\", \"version\": \"1\", \"key\": \"k\", \"value\": \"v\"}");
        JsonNode searched = server.okGet("/api/2.0/mlflow/model-versions/search?filter=name%3D'fraud'&max_results=10");
        assertThat(searched.at("/model_versions/0/description").asText()).isEqualTo("second");
        assertThat(searched.at("/model_versions/0/tags/0/key").asText()).isEqualTo("k");
        server.ok(server.send("DELETE", "/api/2.0/mlflow/model-versions/delete-tag",
                "{\"name\": \"fraud\", \"version\": \"1\", \"key\": \"k\"}"));
        JsonNode models = server.okGet("/api/2.0/mlflow/registered-models/search?filter=name%20LIKE%20'fr%25'");
        assertThat(models.at("/registered_models/0/name").asText()).isEqualTo("fraud");
        assertThat(models.at("/registered_models/0/description").asText()).isEqualTo("d");

        // As MLflow, deleting a version deletes the aliases pointing at it.
        server.ok(server.send("DELETE", "/api/2.0/mlflow/model-versions/delete", "{\"name\": \"fraud\", \"version\": \"1\"}"));
        assertThat(server.get("/api/2.0/mlflow/registered-models/alias?name=fraud&alias=prod").statusCode()).isEqualTo(404);
        assertThat(server.okGet("/api/2.0/mlflow/registered-models/get?name=fraud").at("/registered_model").has("aliases")).isFalse();
        server.ok("/api/2.0/mlflow/registered-models/rename", "{\"name\": \"fraud\", \"new_name\": \"fraud-v2\"}");
        server.ok(server.send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\": \"fraud-v2\"}"));
        assertThat(server.get("/api/2.0/mlflow/registered-models/get?name=fraud-v2").statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("The registry's audit log names the user of the client's Basic credentials")
    void auditActorFromBasicCredentials() {
        String credentials = Base64.getEncoder().encodeToString("ana:secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(
                        URI.create(server.url + "/api/2.0/mlflow/registered-models/create"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"audited\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        MlflowTestServer.ok(response);
        server.ok("/api/2.0/mlflow/registered-models/rename", "{\"name\": \"audited\", \"new_name\": \"audited-2\"}");
        List<AuditEvent> events = server.store.registry().listAuditEvents(null, 100, null).items().stream()
                .filter(e -> e.modelName().startsWith("audited")).toList();
        assertThat(events).extracting(AuditEvent::action, AuditEvent::actor)
                .contains(Tuple.tuple(AuditAction.MODEL_CREATED, "ana"),
                        Tuple.tuple(AuditAction.MODEL_RENAMED, Actors.ANONYMOUS));
    }
}

package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * MLflow's own Java client (org.mlflow:mlflow-client 2.17.2) against a real Cairn server, on a
 * SQLite store and on an embedded PostgreSQL store: tracking through its typed methods, the
 * registry through its raw sendPost/sendGet and typed reads, and the artifact endpoints over
 * plain HTTP (the client's own artifact methods shell out to a Python MLflow).
 */
class MlflowClientCompatibilityTest {

    private static EmbeddedPostgresFixture postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresFixture.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    private MlflowTestServer server(String backend) {
        return switch (backend) {
            case "sqlite" -> MlflowTestServer.sqlite(dir);
            case "postgresql" -> MlflowTestServer.start(postgres.newDatabaseUri(), dir.resolve("artifacts"));
            default -> throw new IllegalArgumentException(backend);
        };
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName("The MLflow Java client logs, reads, searches and terminates runs")
    void trackingThroughTheMlflowJavaClient(String backend) {
        try (MlflowTestServer server = server(backend); MlflowClient client = new MlflowClient(server.url)) {
            String experimentId = client.createExperiment("credit-scoring");
            assertThat(client.getExperimentByName("credit-scoring")).get()
                    .extracting(Service.Experiment::getExperimentId).isEqualTo(experimentId);
            assertThat(client.getExperiment(experimentId).getArtifactLocation())
                    .isEqualTo("mlflow-artifacts:/" + experimentId);
            assertThat(client.getExperimentByName("no-such-experiment")).isEmpty();
            assertThatThrownBy(() -> client.createExperiment("credit-scoring"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                    });

            Service.RunInfo info = client.createRun(experimentId);
            String runId = info.getRunId();
            assertThat(info.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
            assertThat(info.getExperimentId()).isEqualTo(experimentId);
            assertThat(info.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

            long now = System.currentTimeMillis();
            client.logParam(runId, "alpha", "0.5");
            client.logMetric(runId, "rmse", 0.9, now, 0);
            client.logMetric(runId, "rmse", 0.7, now + 1, 1);
            client.setTag(runId, "stage", "dev");
            client.logBatch(runId,
                    List.of(metric("acc", 0.80, now, 0), metric("acc", 0.85, now + 1, 1)),
                    List.of(Service.Param.newBuilder().setKey("max_depth").setValue("6").build()),
                    List.of(Service.RunTag.newBuilder().setKey("team").setValue("risk").build()));

            List<Service.Metric> history = client.getMetricHistory(runId, "rmse");
            assertThat(history).extracting(Service.Metric::getValue).containsExactly(0.9, 0.7);
            assertThat(history).extracting(Service.Metric::getStep).containsExactly(0L, 1L);
            assertThat(history).extracting(Service.Metric::getTimestamp).containsExactly(now, now + 1);

            Service.Run run = client.getRun(runId);
            assertThat(params(run)).containsEntry("alpha", "0.5").containsEntry("max_depth", "6");
            assertThat(tags(run)).containsEntry("team", "risk").containsEntry("stage", "dev");
            Map<String, Double> latest = run.getData().getMetricsList().stream()
                    .collect(Collectors.toMap(Service.Metric::getKey, Service.Metric::getValue));
            assertThat(latest).containsEntry("rmse", 0.7).containsEntry("acc", 0.85);

            String otherRun = client.createRun(experimentId).getRunId();
            client.logBatch(otherRun, List.of(metric("acc", 0.6, now, 0)),
                    List.of(Service.Param.newBuilder().setKey("max_depth").setValue("3").build()), List.of());
            assertThat(client.searchRuns(List.of(experimentId), "metrics.acc > 0.7 and params.max_depth = '6'"))
                    .extracting(Service.RunInfo::getRunId).containsExactly(runId);
            assertThat(client.searchRuns(List.of(experimentId), "params.max_depth = '3'"))
                    .extracting(Service.RunInfo::getRunId).containsExactly(otherRun);

            client.setTerminated(runId);
            Service.RunInfo finished = client.getRun(runId).getInfo();
            assertThat(finished.getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(finished.getEndTime()).isGreaterThanOrEqualTo(finished.getStartTime());

            client.deleteRun(otherRun);
            assertThat(client.getRun(otherRun).getInfo().getLifecycleStage()).isEqualTo("deleted");
            assertThat(client.searchRuns(List.of(experimentId), null)).extracting(Service.RunInfo::getRunId).containsExactly(runId);
            client.restoreRun(otherRun);
            assertThat(client.getRun(otherRun).getInfo().getLifecycleStage()).isEqualTo("active");

            // What MLflow's Python client sends when it logs a model (mlflow.<flavor>.log_model).
            String mlmodel = "{\"artifact_path\": \"model\", \"flavors\": {\"python_function\": {}},"
                    + " \"utc_time_created\": \"2026-11-23 10:00:00.000000\", \"run_id\": \"" + runId + "\"}";
            client.sendPost("runs/log-model", "{\"run_id\": " + q(runId) + ", \"model_json\": " + q(mlmodel) + "}");
            client.sendPost("runs/log-model", "{\"run_id\": " + q(runId) + ", \"model_json\": " + q(mlmodel) + "}");
            JsonNode logged = MlflowTestServer.json(tags(client.getRun(runId)).get("mlflow.log-model.history"));
            assertThat(logged).hasSize(2);
            assertThat(logged.at("/0/artifact_path").asText()).isEqualTo("model");

            client.renameExperiment(experimentId, "credit-scoring-v2");
            assertThat(client.getExperiment(experimentId).getName()).isEqualTo("credit-scoring-v2");
            client.setExperimentTag(experimentId, "owner", "risk-team");
            assertThat(client.getExperiment(experimentId).getTagsList())
                    .extracting(Service.ExperimentTag::getKey, Service.ExperimentTag::getValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("owner", "risk-team"));
            assertThat(client.searchExperiments("name = 'credit-scoring-v2'").getItems())
                    .extracting(Service.Experiment::getExperimentId).containsExactly(experimentId);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName("The MLflow Java client registers a model version from a run, sets an alias and reads both back")
    void registryThroughTheMlflowJavaClient(String backend) {
        try (MlflowTestServer server = server(backend); MlflowClient client = new MlflowClient(server.url)) {
            String experimentId = client.createExperiment("registry");
            String runId = client.createRun(experimentId).getRunId();

            client.sendPost("registered-models/create", "{\"name\": \"credit-model\", \"description\": \"scores\"}");
            JsonNode created = MlflowTestServer.json(client.sendPost("model-versions/create",
                    "{\"name\": \"credit-model\", \"source\": " + q("runs:/" + runId + "/model") + ", \"run_id\": " + q(runId) + "}"));
            assertThat(created.at("/model_version/version").asText()).isEqualTo("1");
            assertThat(created.at("/model_version/status").asText()).isEqualTo("READY");

            client.sendPost("registered-models/alias", "{\"name\": \"credit-model\", \"alias\": \"champion\", \"version\": \"1\"}");
            JsonNode byAlias = MlflowTestServer.json(client.sendGet("registered-models/alias?name=credit-model&alias=champion"));
            assertThat(byAlias.at("/model_version/version").asText()).isEqualTo("1");
            assertThat(byAlias.at("/model_version/run_id").asText()).isEqualTo(runId);

            ModelRegistry.ModelVersion version = client.getModelVersion("credit-model", "1");
            assertThat(version.getSource()).isEqualTo("runs:/" + runId + "/model");
            assertThat(version.getRunId()).isEqualTo(runId);
            assertThat(version.getStatus()).isEqualTo(ModelRegistry.ModelVersionStatus.READY);
            assertThat(version.getAliasesList()).containsExactly("champion");
            assertThat(version.getCurrentStage()).isEqualTo("None");

            assertThat(client.searchModelVersions("name = 'credit-model'").getItems())
                    .extracting(ModelRegistry.ModelVersion::getVersion).containsExactly("1");
            assertThat(client.getModelVersionDownloadUri("credit-model", "1"))
                    .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts/model");
            assertThat(client.getLatestVersions("credit-model"))
                    .extracting(ModelRegistry.ModelVersion::getVersion).containsExactly("1");
            ModelRegistry.RegisteredModel model = client.getRegisteredModel("credit-model");
            assertThat(model.getDescription()).isEqualTo("scores");
            assertThat(model.getAliasesList()).extracting(ModelRegistry.RegisteredModelAlias::getAlias,
                    ModelRegistry.RegisteredModelAlias::getVersion).containsExactly(org.assertj.core.groups.Tuple.tuple("champion", "1"));

            JsonNode staged = MlflowTestServer.json(client.sendPost("model-versions/transition-stage",
                    "{\"name\": \"credit-model\", \"version\": \"1\", \"stage\": \"staging\", \"archive_existing_versions\": false}"));
            assertThat(staged.at("/model_version/current_stage").asText()).isEqualTo("Staging");
            assertThat(client.getLatestVersions("credit-model", List.of("Staging")))
                    .extracting(ModelRegistry.ModelVersion::getVersion).containsExactly("1");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName("Artifacts go up, are listed and come back byte for byte, in one piece and in parts")
    void artifactEndpointsOverHttp(String backend) {
        try (MlflowTestServer server = server(backend); MlflowClient client = new MlflowClient(server.url)) {
            String experimentId = client.createExperiment("artifacts");
            Service.RunInfo run = client.createRun(experimentId);
            String runRoot = run.getArtifactUri().substring("mlflow-artifacts:/".length());
            String base = server.url + "/api/2.0/mlflow-artifacts/artifacts/";

            byte[] model = randomBytes(300_000, 1);
            HttpResponse<String> put = server.send(HttpRequest.newBuilder(URI.create(base + runRoot + "/model/model.bin"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(model)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            server.ok(server.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + runRoot + "/model/MLmodel", "flavors: {}\n"));

            JsonNode listing = server.okGet("/api/2.0/mlflow-artifacts/artifacts?path=" + runRoot + "/model");
            Map<String, JsonNode> files = new java.util.TreeMap<>();
            listing.get("files").forEach(f -> files.put(f.get("path").asText(), f));
            assertThat(files).containsOnlyKeys("MLmodel", "model.bin");
            assertThat(files.get("model.bin").get("is_dir").asBoolean()).isFalse();
            assertThat(files.get("model.bin").get("file_size").asLong()).isEqualTo(model.length);
            JsonNode root = server.okGet("/api/2.0/mlflow-artifacts/artifacts?path=" + runRoot);
            assertThat(root.get("files")).hasSize(1);
            assertThat(root.at("/files/0/path").asText()).isEqualTo("model");
            assertThat(root.at("/files/0/is_dir").asBoolean()).isTrue();
            assertThat(root.at("/files/0").has("file_size")).isFalse();

            JsonNode runListing = MlflowTestServer.json(client.sendGet("artifacts/list?run_id=" + run.getRunId() + "&path=model"));
            assertThat(runListing.get("root_uri").asText()).isEqualTo(run.getArtifactUri());
            List<String> runFiles = new ArrayList<>();
            runListing.get("files").forEach(f -> runFiles.add(f.get("path").asText()));
            assertThat(runFiles).containsExactlyInAnyOrder("model/MLmodel", "model/model.bin");

            HttpResponse<byte[]> download = server.send(HttpRequest.newBuilder(URI.create(base + runRoot + "/model/model.bin")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("Content-Disposition")).get().asString().contains("attachment");
            assertThat(download.body()).isEqualTo(model);

            // Multipart, as MLflow's client does it: create, PUT each part to its URL, complete with the ETags.
            byte[] big = randomBytes(250_000, 2);
            int partSize = 100_000;
            int parts = (big.length + partSize - 1) / partSize;
            JsonNode created = server.ok("/api/2.0/mlflow-artifacts/mpu/create/" + runRoot + "/big",
                    "{\"path\": \"/home/user/outputs/weights.bin\", \"num_parts\": " + parts + "}");
            assertThat(created.get("credentials")).hasSize(parts);
            List<String> partJson = new ArrayList<>();
            for (JsonNode credential : created.get("credentials")) {
                int number = credential.get("part_number").asInt();
                byte[] chunk = Arrays.copyOfRange(big, (number - 1) * partSize, Math.min(big.length, number * partSize));
                HttpResponse<String> partResponse = server.send(HttpRequest.newBuilder(URI.create(credential.get("url").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(partResponse.statusCode()).isEqualTo(200);
                String etag = partResponse.headers().firstValue("ETag").orElseThrow();
                partJson.add("{\"part_number\": " + number + ", \"etag\": " + q(etag) + "}");
            }
            assertThat(server.artifacts.exists(runRoot + "/big/weights.bin")).isFalse();
            server.ok("/api/2.0/mlflow-artifacts/mpu/complete/" + runRoot + "/big",
                    "{\"path\": \"/home/user/outputs/weights.bin\", \"upload_id\": " + q(created.get("upload_id").asText())
                            + ", \"parts\": [" + String.join(", ", partJson) + "]}");
            HttpResponse<byte[]> bigDownload = server.send(HttpRequest.newBuilder(URI.create(base + runRoot + "/big/weights.bin")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bigDownload.statusCode()).isEqualTo(200);
            assertThat(bigDownload.body()).isEqualTo(big);

            // An aborted upload leaves nothing behind.
            JsonNode abandoned = server.ok("/api/2.0/mlflow-artifacts/mpu/create/" + runRoot + "/tmp",
                    "{\"path\": \"abandoned.bin\", \"num_parts\": 1}");
            server.send(HttpRequest.newBuilder(URI.create(abandoned.at("/credentials/0/url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
            server.ok("/api/2.0/mlflow-artifacts/mpu/abort/" + runRoot + "/tmp",
                    "{\"path\": \"abandoned.bin\", \"upload_id\": " + q(abandoned.get("upload_id").asText()) + "}");
            assertThat(server.artifacts.exists(runRoot + "/tmp/abandoned.bin")).isFalse();

            server.ok(server.send("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + runRoot + "/model/model.bin", null));
            HttpResponse<String> gone = server.get("/api/2.0/mlflow-artifacts/artifacts/" + runRoot + "/model/model.bin");
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(MlflowTestServer.json(gone.body()).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }
    }

    private static Service.Metric metric(String key, double value, long timestamp, long step) {
        return Service.Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    private static Map<String, String> params(Service.Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
    }

    private static Map<String, String> tags(Service.Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue,
                (a, b) -> b));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

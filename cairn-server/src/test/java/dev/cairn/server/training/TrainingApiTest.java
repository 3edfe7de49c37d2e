package dev.cairn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.schema.Field;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training endpoints on a real server (port 0) over a SQLite store and file artifacts, called over HTTP. */
class TrainingApiTest {
    static final Path CREDIT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk/credit-g.csv");
    static final String SPACE = """
            algorithm: xgboost
            strategy: grid
            metric: roc_auc
            folds: 2
            parallelism: 1
            seed: 7
            fixed: {num_boost_round: 8}
            params:
              max_depth: [2, 3]
            """;

    @TempDir
    static Path dir;
    static MetadataStore store;
    static CairnServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        ArtifactRepository artifacts = Stores.openArtifacts(dir.resolve("artifacts").toUri().toString());
        server = CairnServer.withDefaultRoutes(store, artifacts, dev.cairn.core.access.DataAccess.roots(CREDIT.getParent(), dir),
                "127.0.0.1", 0, List.of());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static HttpResponse<String> post(String path, JsonNode body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .header("X-Cairn-User", "carol").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ObjectNode trainRequest(String experiment) {
        ObjectNode body = JSON.createObjectNode().put("data", CREDIT.toString()).put("label", "class").put("experiment", experiment);
        body.putArray("drop").add("customer_id");
        body.putObject("params").put("num_boost_round", 10).put("max_depth", 3);
        return body;
    }

    static ObjectNode tuneRequest(String experiment) {
        ObjectNode body = JSON.createObjectNode().put("data", CREDIT.toString()).put("label", "class").put("space", SPACE)
                .put("experiment", experiment).put("positive_class", "bad");
        body.putArray("drop").add("customer_id");
        return body;
    }

    /** The first row of credit-g as a prediction input, typed as the model's signature says (yes/no columns are booleans). */
    static Map<String, Object> firstRow(Model model) throws IOException {
        List<String> lines = Files.readAllLines(CREDIT);
        String[] names = lines.get(0).split(","), values = lines.get(1).split(",");
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) raw.put(names[i], values[i]);
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : model.signature().inputs()) {
            String value = raw.get(field.name());
            row.put(field.name(), switch (field.type()) {
                case BOOLEAN -> value.equals("yes") || value.equals("true");
                case STRING -> value;
                case INTEGER -> Long.parseLong(value);
                default -> Double.parseDouble(value);
            });
        }
        return row;
    }

    static Path artifactDir(String runId) {
        return Path.of(URI.create(store.runs().getRun(runId).info().artifactUri()));
    }

    static List<Run> runsOf(String experimentName) {
        String id = store.experiments().getExperimentByName(experimentName).orElseThrow().experimentId();
        return store.runs().searchRuns(List.of(id), null, ViewType.ALL, List.of(), 1000, null).items();
    }

    static void assertBadRequest(HttpResponse<String> response, String field, String mentioned) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(error.at("/details/field").asText()).as(response.body()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(mentioned);
    }

    @Test
    @DisplayName("POST /api/v1/training/runs trains a tracked run and answers 201; the run is FINISHED and its model/ loads and predicts")
    void trainOverRest() throws Exception {
        ObjectNode request = trainRequest("rest-train").put("run_name", "over-http");
        request.putObject("split").put("strategy", "stratified").put("fraction", 0.25);
        HttpResponse<String> created = post("/api/v1/training/runs", request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String runId = body.get("run_id").asText();
        assertThat(body.get("model_uri").asText()).isEqualTo("runs:/" + runId + "/model");
        assertThat(body.at("/metrics/roc_auc").asDouble()).isBetween(0.6, 1.0);

        Run run = store.runs().getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().userId()).as("recorded as the caller, not the server's OS user").isEqualTo("carol");
        assertThat(run.data().tags()).contains(new dev.cairn.core.tracking.Tag("mlflow.user", "carol"));
        assertThat(run.info().runName()).isEqualTo("over-http");
        assertThat(run.info().experimentId()).isEqualTo(body.get("experiment_id").asText())
                .isEqualTo(store.experiments().getExperimentByName("rest-train").orElseThrow().experimentId());
        assertThat(run.data().params()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("num_boost_round");
            assertThat(p.value()).isEqualTo("10");
        });
        try (Model model = Models.load(artifactDir(runId).resolve("model"))) {
            Prediction prediction = model.predict(firstRow(model));
            assertThat(prediction.label()).isIn("good", "bad");
            assertThat(prediction.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    @DisplayName("POST /api/v1/training/tunings tunes a 2-trial grid with trials as child runs, packages the best and registers it with the alias")
    void tuneAndRegisterOverRest() throws Exception {
        ObjectNode request = tuneRequest("rest-tune");
        request.putObject("register").put("name", "credit-rest").put("alias", "champion");
        HttpResponse<String> created = post("/api/v1/training/tunings", request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String parent = body.get("parent_run_id").asText();
        assertThat(body.get("metric").asText()).isEqualTo("roc_auc");
        assertThat(body.get("trials").asInt()).isEqualTo(2);
        assertThat(body.at("/best/params/max_depth").asInt()).isIn(2, 3);
        assertThat(body.at("/best/score").asDouble()).isBetween(0.5, 1.0);
        assertThat(body.get("model_uri").asText()).isEqualTo("runs:/" + parent + "/model");
        assertThat(body.at("/metrics/roc_auc").isNumber()).isTrue();
        assertThat(body.get("registered_version").asLong()).isEqualTo(1);

        assertThat(store.runs().getRun(parent).info().status()).isEqualTo(RunStatus.FINISHED);
        List<Run> runs = runsOf("rest-tune");
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED))
                .allSatisfy(r -> assertThat(r.info().userId()).isEqualTo("carol"));
        assertThat(runs).filteredOn(r -> !r.info().runId().equals(parent))
                .allSatisfy(child -> assertThat(child.data().tags()).anySatisfy(t -> {
                    assertThat(t.key()).isEqualTo("mlflow.parentRunId");
                    assertThat(t.value()).isEqualTo(parent);
                }));
        assertThat(runs).extracting(r -> r.info().runId()).contains(body.at("/best/run_id").asText());

        ModelVersion champion = store.registry().getModelVersionByAlias("credit-rest", "champion");
        assertThat(champion.version()).isEqualTo(1);
        assertThat(champion.runId()).isEqualTo(parent);
        try (Model model = Models.load(artifactDir(parent).resolve("model"))) {
            assertThat(model.predict(firstRow(model)).label()).isIn("good", "bad");
        }
    }

    @Test
    @DisplayName("a search space given as a file on the server (space_path) tunes the same as inline YAML, without registering")
    void tuneFromASpaceFile() throws Exception {
        Path space = Files.writeString(dir.resolve("space.yaml"), SPACE.replace("[2, 3]", "[2]"));
        ObjectNode request = tuneRequest("rest-tune-file");
        request.remove("space");
        request.put("space_path", space.toString());
        HttpResponse<String> created = post("/api/v1/training/tunings", request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.get("trials").asInt()).isEqualTo(1);
        assertThat(body.has("registered_version")).isFalse();
        assertThat(store.runs().getRun(body.get("parent_run_id").asText()).info().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    @DisplayName("bad training requests get 400 naming the field, and leave no experiment and no run: everything is checked before anything is created")
    void badTrainingRequests() throws Exception {
        assertBadRequest(post("/api/v1/training/runs", trainRequest("rest-bad").put("label", "not_a_column")), "label", "not_a_column");
        ObjectNode noLabel = trainRequest("rest-bad");
        noLabel.remove("label");
        assertBadRequest(post("/api/v1/training/runs", noLabel), "label", "label");
        ObjectNode unknownParam = trainRequest("rest-bad");
        ((ObjectNode) unknownParam.get("params")).put("depth_max", 3);
        assertBadRequest(post("/api/v1/training/runs", unknownParam), "params.depth_max", "depth_max");
        assertBadRequest(post("/api/v1/training/runs", trainRequest("rest-bad").put("algorithm", "catboost")), "algorithm", "catboost");
        assertBadRequest(post("/api/v1/training/runs", trainRequest("rest-bad").put("data", dir.resolve("missing.csv").toString())),
                "data", "missing.csv");
        ObjectNode badSplit = trainRequest("rest-bad");
        badSplit.putObject("split").put("fraction", 1.5);
        assertBadRequest(post("/api/v1/training/runs", badSplit), "split.fraction", "1.5");
        HttpResponse<String> unknownField = post("/api/v1/training/runs", trainRequest("rest-bad").put("lable", "class"));
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.body()).contains("lable");

        assertThat(store.experiments().getExperimentByName("rest-bad")).as("not even the missing label column got as far as a run").isEmpty();
        assertNoRunIsRunning();
    }

    @Test
    @DisplayName("bad tuning requests get 400 naming the field: bad YAML, an unknown parameter, a missing space file or label column, no space")
    void badTuningRequests() throws Exception {
        assertBadRequest(post("/api/v1/training/tunings", tuneRequest("rest-bad-tune").put("space", "params: [unclosed")), "space", "YAML");
        assertBadRequest(post("/api/v1/training/tunings", tuneRequest("rest-bad-tune").put("space", SPACE.replace("max_depth", "depth_max"))),
                "param", "depth_max");
        assertBadRequest(post("/api/v1/training/tunings", tuneRequest("rest-bad-tune").put("space_path", "/no/such/space.yaml")),
                "space", "space_path");
        ObjectNode missingFile = tuneRequest("rest-bad-tune");
        missingFile.remove("space");
        assertBadRequest(post("/api/v1/training/tunings", missingFile.put("space_path", "/no/such/space.yaml")), "space_path", "/no/such/space.yaml");
        ObjectNode noName = tuneRequest("rest-bad-tune");
        noName.putObject("register").put("alias", "champion");
        assertBadRequest(post("/api/v1/training/tunings", noName), "register.name", "register.name");
        assertBadRequest(post("/api/v1/training/tunings", tuneRequest("rest-bad-tune").put("label", "not_a_column")), "label", "not_a_column");

        assertThat(store.experiments().getExperimentByName("rest-bad-tune")).as("refused before the parent run").isEmpty();
        assertNoRunIsRunning();
    }

    private static void assertNoRunIsRunning() {
        List<String> experiments = store.experiments().searchExperiments(ViewType.ALL, null, List.of(), 1000, null).items().stream()
                .map(Experiment::experimentId).toList();
        List<Run> all = store.runs().searchRuns(experiments, null, ViewType.ALL, List.of(), 1000, null).items();
        assertThat(all).noneSatisfy(run -> assertThat(run.info().status()).isEqualTo(RunStatus.RUNNING));
    }
}

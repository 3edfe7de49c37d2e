package dev.cairn.server.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.CairnServer;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.evaluation.Holdout;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation endpoints on a real server (port 0) over real stores, called over HTTP. */
class EvaluationApiTest {
    static final Path CREDIT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk/credit-g.csv");

    @TempDir
    static Path dir;
    static MetadataStore store;
    static CairnServer server;
    static Path test;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        Holdout.Parts files = Holdout.split(CREDIT, "class", 0.3, 7, dir.resolve("data"));
        test = files.test();
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        Tracking tracking = Tracking.of(store);
        TrainSpec spec = TrainSpec.of(files.train(), "class").withDrop(List.of("customer_id")).withExperiment("credit-risk");
        String xgboost = Training.train(spec.withParam("num_boost_round", 10), tracking).runId();
        String baseline = Training.train(spec.withAlgorithm("baseline"), tracking).runId();
        for (String name : List.of("credit", "credit-promoted")) {
            Training.register(tracking, xgboost, name, "champion");
            Training.register(tracking, baseline, name, null);
        }
        ArtifactRepository artifacts = Stores.openArtifacts(dir.resolve("artifacts").toUri().toString());
        server = CairnServer.withDefaultRoutes(store, artifacts, dev.cairn.core.access.DataAccess.roots(dir),
                "127.0.0.1", 0, List.of());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .header("X-Cairn-User", "carol").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String request(String model) {
        return """
                {"model": "%s", "data": "%s", "label": "class", "positive_class": "bad", "business_metric": "precision",
                 "thresholds": ["roc_auc>=0.7", "change:precision>=-0.01"], "sensitive": ["foreign_worker", "age:25,40,60"]}
                """.formatted(model, test.toString().replace("\\", "\\\\"));
    }

    @Test
    @DisplayName("POST /api/v1/evaluations evaluates against the champion; the reports and the verdict are served by run id")
    void evaluateAndReadTheReports() throws Exception {
        HttpResponse<String> created = post("/api/v1/evaluations", request("models:/credit/2"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String runId = body.get("run_id").asText();
        assertThat(body.get("blessed").asBoolean()).isFalse();
        assertThat(body.at("/verdict/checks")).hasSize(2);
        assertThat(body.at("/verdict/champion_version").asLong()).isEqualTo(1);

        HttpResponse<String> html = get("/api/v1/evaluations/" + runId + "/report.html");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.body()).contains("<svg id=\"roc-chart\"", "NOT BLESSED", "foreign_worker");

        JsonNode report = JSON.readTree(get("/api/v1/evaluations/" + runId).body());
        assertThat(report.get("run_id").asText()).isEqualTo(runId);
        assertThat(report.at("/candidate/metrics/precision").isNumber()).isTrue();
        assertThat(report.at("/champion/metrics/roc_auc").asDouble()).isGreaterThan(0.6);
        assertThat(JSON.readTree(get("/api/v1/evaluations/" + runId + "/verdict").body()).get("blessed").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("promotion over REST is refused with 400 INVALID_STATE for an unblessed candidate and audited when forced with a reason")
    void promotionOverRest() throws Exception {
        String runId = JSON.readTree(post("/api/v1/evaluations", request("models:/credit-promoted/2")).body()).get("run_id").asText();
        HttpResponse<String> refused = post("/api/v1/evaluations/" + runId + "/promote", "{}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error_code").asText()).isEqualTo("INVALID_STATE");
        assertThat(refused.body()).contains("roc_auc>=0.7");

        HttpResponse<String> forced = post("/api/v1/evaluations/" + runId + "/promote", "{\"force\": true, \"reason\": \"audit drill\"}");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(JSON.readTree(forced.body()).get("aliases").toString()).contains("champion");
        String audit = get("/api/v1/registered-models/credit-promoted/audit").body();
        assertThat(audit).contains("PROMOTION_FORCED", "audit drill", "carol");
    }

    @Test
    @DisplayName("bad requests get 400 naming the field: a missing label, an unknown sensitive column, an unknown run")
    void badRequests() throws Exception {
        HttpResponse<String> noLabel = post("/api/v1/evaluations", "{\"model\": \"models:/credit/1\", \"data\": \"" + test + "\"}");
        assertThat(noLabel.statusCode()).isEqualTo(400);
        assertThat(noLabel.body()).contains("label");
        HttpResponse<String> sensitive = post("/api/v1/evaluations",
                "{\"model\": \"models:/credit/1\", \"data\": \"" + test + "\", \"label\": \"class\", \"sensitive\": [\"gender\"]}");
        assertThat(sensitive.statusCode()).isEqualTo(400);
        assertThat(sensitive.body()).contains("gender");
        assertThat(get("/api/v1/evaluations/nope").statusCode()).isEqualTo(404);
    }
}

package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listings and lineage across resources show each caller only what it may read. The fixture's reader may read the
 * shared experiment, model, deployment and pipeline; another team's user may read (manage) theirs. Both teams'
 * pipelines ran and touched one snapshot; the shared pipeline's run also wrote their model, a run of their experiment
 * and their deployment, which its readers must not learn of through its lineage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = "snapshot:" + "5".repeat(64);
    private static final String RULES = """
            window: day
            rules:
              - name: refused-requests
                metric: volume.refused_rate
                comparison: ">"
                threshold: 0.02
            """;

    private AuthFixture fixture;
    private String sharedRun;
    private String theirRun;
    private String theirTrackedRun;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
        MetadataStore store = fixture.running.store();
        String theirExperiment = store.experiments().getExperimentByName("their-experiment").orElseThrow().experimentId();
        theirTrackedRun = store.runs().createRun(theirExperiment, "them", System.currentTimeMillis(), "their-run", List.of()).info().runId();
        for (String model : List.of(AuthFixture.SHARED, "theirs")) {
            store.registry().createRegisteredModel(model, null, List.of(), "admin");
            store.registry().createModelVersion(model, "models/" + model, null, null, List.of(), "admin");
        }
        PipelineStore pipelines = store.pipelines();
        sharedRun = pipelineRun(pipelines, AuthFixture.SHARED);
        theirRun = pipelineRun(pipelines, "theirs");
        pipelines.addLineage(List.of(
                edge(sharedRun, LineageEdge.Direction.INPUT, "snapshot", SNAPSHOT),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "model_version", "models:/shared/1"),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "model_version", "models:/theirs/1"),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "run", "runs:/" + fixture.runId),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "run", "runs:/" + theirTrackedRun),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "deployment", "deployment:shared?environment=prod"),
                edge(sharedRun, LineageEdge.Direction.OUTPUT, "deployment", "deployment:theirs?environment=prod"),
                edge(sharedRun, LineageEdge.Direction.INPUT, "feature_view", "feature_view:shared/1"),
                edge(sharedRun, LineageEdge.Direction.INPUT, "feature_view", "feature_view:theirs/2"),
                edge(theirRun, LineageEdge.Direction.INPUT, "snapshot", SNAPSHOT)));
        fixture.running.monitoring().installRules(AuthFixture.SHARED, RULES);
        fixture.running.monitoring().installRules("theirs", RULES);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private static String pipelineRun(PipelineStore pipelines, String name) {
        String text = "name: " + name + "\nsteps:\n  - id: tell\n    type: notify\n    with: {message: hi}\n";
        PipelineSpec spec = PipelineSpec.parse(text, name + ".yaml");
        pipelines.putPipeline(name, text, spec.sha256(), null, "admin");
        return pipelines.createRun(PipelineRun.queued(name, spec.sha256(), "manual", "test", Map.of(), null, Instant.now(), null, "admin"),
                null).runId();
    }

    private static LineageEdge edge(String run, LineageEdge.Direction direction, String kind, String uri) {
        return new LineageEdge(run, "tell", direction, kind, uri, null, Instant.now());
    }

    @Test
    void thePipelinesListingShowsThePipelinesTheCallerMayReadAndTheDirectoryOnlyToAdmins() {
        JsonNode reader = get("/api/v1/pipelines", "reader");
        assertThat(reader.get("pipelines").findValuesAsText("name")).containsExactly(AuthFixture.SHARED);
        assertThat(reader.has("directory")).as("the server's directory is the admins'").isFalse();
        assertThat(get("/api/v1/pipelines", "other").get("pipelines").findValuesAsText("name")).containsExactly("theirs");
        JsonNode admin = get("/api/v1/pipelines", "admin");
        assertThat(admin.get("pipelines").findValuesAsText("name")).containsExactlyInAnyOrder(AuthFixture.SHARED, "theirs");
        assertThat(admin.has("directory")).isTrue();
    }

    @Test
    void anArtifactsLineageShowsOnlyTheRunsOfPipelinesTheCallerMayRead() {
        String snapshot = "/api/v1/lineage?uri=" + encode(SNAPSHOT);
        assertThat(get(snapshot, "reader").get("edges").findValuesAsText("run_id")).containsExactly(sharedRun);
        assertThat(get(snapshot, "other").get("edges").findValuesAsText("run_id")).containsExactly(theirRun);
        assertThat(get(snapshot, "admin").get("edges").findValuesAsText("run_id")).containsExactlyInAnyOrder(sharedRun, theirRun);
        assertThat(get(snapshot, "editor").get("edges").findValuesAsText("run_id")).containsExactly(sharedRun);

        // Their model was written by the shared pipeline, which the reader may read: the model is still not the reader's.
        String theirModel = "/api/v1/lineage?uri=" + encode("models:/theirs/1");
        assertThat(get(theirModel, "reader").get("edges")).isEmpty();
        assertThat(get(theirModel, "admin").get("edges").findValuesAsText("run_id")).containsExactly(sharedRun);
    }

    @Test
    void aRunsLineageLeavesOutTheModelsRunsAndDeploymentsTheCallerMayNotRead() {
        String lineage = "/api/v1/pipelines/runs/" + sharedRun + "/lineage";
        assertThat(get(lineage, "reader").get("edges").findValuesAsText("uri")).containsExactlyInAnyOrder(SNAPSHOT, "models:/shared/1",
                "runs:/" + fixture.runId, "deployment:shared?environment=prod", "feature_view:shared/1");
        assertThat(get(lineage, "admin").get("edges").findValuesAsText("uri")).hasSize(9)
                .contains("models:/theirs/1", "runs:/" + theirTrackedRun, "deployment:theirs?environment=prod", "feature_view:theirs/2");
    }

    @Test
    void theModelVersionSearchShowsVersionsOfReadableModelsOnly() {
        assertThat(get("/api/v1/model-versions", "reader").get("model_versions").findValuesAsText("name")).containsExactly(AuthFixture.SHARED);
        assertThat(get("/api/v1/model-versions", "other").get("model_versions").findValuesAsText("name")).containsExactly("theirs");
        assertThat(get("/api/v1/model-versions?filter=" + encode("name = 'theirs'"), "reader").get("model_versions")).isEmpty();
        assertThat(get("/api/v1/model-versions", "admin").get("model_versions").findValuesAsText("name"))
                .containsExactlyInAnyOrder(AuthFixture.SHARED, "theirs");
    }

    @Test
    void resolvingARunsUriIsJudgedByTheRunsExperiment() {
        // Resolving only locates: a caller let through gets the location, whatever the run holds.
        HttpResponse<String> theirs = fixture.get("/api/v1/model-versions/resolve?uri=" + encode("runs:/" + theirTrackedRun + "/model"),
                fixture.authorization("reader"));
        assertThat(theirs.statusCode()).isEqualTo(403);
        assertThat(theirs.body()).contains("experiment");
        HttpResponse<String> asTheirs = fixture.get("/api/v1/model-versions/resolve?uri=" + encode("runs:/" + theirTrackedRun + "/model"),
                fixture.authorization("other"));
        assertThat(asTheirs.statusCode()).as(asTheirs.body()).isEqualTo(200);
        HttpResponse<String> shared = fixture.get("/api/v1/model-versions/resolve?uri=" + encode("runs:/" + fixture.runId + "/model"),
                fixture.authorization("reader"));
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
    }

    @Test
    void theMonitoringListingShowsReadableDeploymentsOnly() {
        assertThat(deployments(get("/api/v1/monitoring/deployments", "reader"))).containsExactly(AuthFixture.SHARED);
        assertThat(deployments(get("/api/v1/monitoring/deployments", "other"))).containsExactly("theirs");
        assertThat(deployments(get("/api/v1/monitoring/deployments", "admin"))).containsExactlyInAnyOrder(AuthFixture.SHARED, "theirs");
    }

    private static List<String> deployments(JsonNode monitoring) {
        List<String> out = new ArrayList<>();
        monitoring.get("deployments").forEach(d -> out.add(d.get("deployment").asText()));
        return out;
    }

    private JsonNode get(String path, String role) {
        HttpResponse<String> response = fixture.get(path, fixture.authorization(role));
        assertThat(response.statusCode()).as(path + " as " + role + ": " + response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

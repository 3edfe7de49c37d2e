package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Tag;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With login on, the web UI's listings and lineage graph show only what the user may read: the data page lists the
 * runs of readable experiments, and a lineage graph leaves out (and does not follow) runs and models the user may not
 * read; a start the user may not read is a 404, as one that does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Web UI with login: listings and lineage show only what the user may read")
class UiVisibilityTest {

    static final String DIGEST = "abc123def456";
    static final String FEATURES = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: profiles
                path: profiles.csv
                event_timestamp: updated_at
            feature_views:
              - name: shared
                entities: [customer]
                source: profiles
                features: [age]
              - name: theirs
                entities: [customer]
                source: profiles
                features: [age]
            """;

    private AuthFixture fixture;
    private String theirRun;
    private String viewDigest;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
        MetadataStore store = fixture.running.store();
        String theirs = store.experiments().getExperimentByName("their-experiment").orElseThrow().experimentId();
        theirRun = store.runs().createRun(theirs, "other", System.currentTimeMillis(), "their-run", List.of()).info().runId();
        DatasetInput input = new DatasetInput(new Dataset("sales", DIGEST, "local", "{}", null, null),
                List.of(new Tag("mlflow.data.context", "training")));
        for (String run : List.of(fixture.runId, theirRun)) {
            store.runs().logInputs(run, List.of(input));
            store.runs().logBatch(run, List.of(new Metric("data.sales.row_count", 100, 1, 0)), List.of(), List.of());
        }
        // Two feature views granted as the shared and their resources; both runs trained on the shared one.
        Path defs = dir.resolve("features");
        try {
            java.nio.file.Files.createDirectories(defs);
            java.nio.file.Files.writeString(defs.resolve("profiles.csv"), "customer_id,updated_at,age\n1,2026-01-01,30\n");
            java.nio.file.Files.writeString(defs.resolve("features.yaml"), FEATURES);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new dev.cairn.features.FeatureStore(store.features(), dev.cairn.features.FeatureStore.unconfined(), name -> null).apply(defs, "admin");
        viewDigest = store.features().get(AuthFixture.SHARED).orElseThrow().sha256().substring(0, 32);
        for (String run : List.of(fixture.runId, theirRun)) {
            store.runs().logInputs(run, List.of(new DatasetInput(new Dataset("shared v1", viewDigest, "feature_view",
                    "{\"uri\": \"feature_view:shared/1\"}", null, null), List.of(new Tag("mlflow.data.context", "feature_view")))));
        }
        store.registry().createRegisteredModel(AuthFixture.SHARED, null, List.of(), "manager");
        store.registry().createModelVersion(AuthFixture.SHARED, "runs:/" + fixture.runId + "/model", fixture.runId, null, List.of(), "manager");
        store.registry().createRegisteredModel("theirs", null, List.of(), "other");
        store.registry().createModelVersion("theirs", "runs:/" + theirRun + "/model", theirRun, null, List.of(), "other");
    }

    @AfterAll
    void stop() {
        if (fixture != null) fixture.close();
    }

    private HttpResponse<String> get(String path, String role) {
        return fixture.get(path, fixture.authorization(role));
    }

    @Test
    void theDataPageListsOnlyTheRunsOfReadableExperiments() {
        String reader = get("/ui/data", "reader").body();
        assertThat(reader).contains("/ui/runs/" + fixture.runId + "/data").doesNotContain(theirRun);
        String other = get("/ui/data", "other").body();
        assertThat(other).contains("/ui/runs/" + theirRun + "/data").doesNotContain(fixture.runId);
    }

    @Test
    void theFeaturesPageListsOnlyReadableViewsAndTheModelsTrainedOnThemTheUserMayRead() {
        String reader = get("/ui/features", "reader").body();
        assertThat(reader).contains("data-feature=\"shared\"").doesNotContain("data-feature=\"theirs\"");
        String other = get("/ui/features", "other").body();
        assertThat(other).contains("data-feature=\"theirs\"").doesNotContain("data-feature=\"shared\"");
        // Both runs trained on the shared view: the reader sees the version it may read, not theirs.
        HttpResponse<String> shared = get("/ui/features/shared", "reader");
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(shared.body()).contains(">shared v1</a>").doesNotContain("theirs v1");
        assertThat(get("/ui/features/theirs", "reader").statusCode()).isEqualTo(403);
        assertThat(get("/ui/features/shared", "other").statusCode()).isEqualTo(403);
        assertThat(get("/ui/features/shared", "admin").body()).contains(">shared v1</a>", ">theirs v1</a>");
    }

    @Test
    void aLineageGraphLeavesOutWhatTheUserMayNotRead() {
        // The dataset both runs read: each user sees the run they may read, not the other's.
        HttpResponse<String> reader = get("/ui/lineage?dataset=" + DIGEST, "reader");
        assertThat(reader.statusCode()).isEqualTo(200);
        assertThat(reader.body()).contains("data-node=\"run:" + fixture.runId + "\"", "data-node=\"models:/shared/1\"")
                .doesNotContain(theirRun).doesNotContain("models:/theirs/1");
        HttpResponse<String> other = get("/ui/lineage?dataset=" + DIGEST, "other");
        assertThat(other.body()).contains("data-node=\"run:" + theirRun + "\"", "data-node=\"models:/theirs/1\"")
                .doesNotContain(fixture.runId).doesNotContain("models:/shared/1");

        // A version the user may not read is not there for them.
        assertThat(get("/ui/lineage?model=shared&version=1", "reader").statusCode()).isEqualTo(200);
        assertThat(get("/ui/lineage?model=shared&version=1", "other").statusCode()).isEqualTo(404);
        assertThat(get("/ui/lineage?model=theirs&version=1", "reader").statusCode()).isEqualTo(404);
        assertThat(get("/ui/lineage?model=shared&version=1", "anonymous").statusCode()).isEqualTo(401);
        // A feature view the run trained on opens the view's page only for whoever may read the view; for the others,
        // the input stays (it is their run's) and opens the dataset's lineage instead of a page answering 403.
        assertThat(get("/ui/lineage?model=shared&version=1", "reader").body()).contains("href=\"/ui/features/shared#version-1\"");
        assertThat(get("/ui/lineage?model=theirs&version=1", "other").body())
                .contains("/ui/lineage?dataset=" + viewDigest).doesNotContain("/ui/features/shared");
        // A run's pages keep their experiment's permission.
        assertThat(get("/ui/runs/" + theirRun + "/data", "reader").statusCode()).isEqualTo(403);
        assertThat(get("/ui/runs/" + fixture.runId + "/data", "reader").statusCode()).isEqualTo(200);
    }
}

package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.client.Cairn;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.LifecycleStage;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.CairnServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cairn-store's metadata-store contract, run against {@code RemoteMetadataStore}: each test gets a
 * fresh SQLite store (opened by the contract), a real server over it on port 0, and then talks to
 * that server only through the remote store. In this package so that it can replace, with
 * remote-specific tests, the few contract cases that cannot hold over HTTP (see the overrides).
 */
@DisplayName("The remote metadata store, under the metadata-store contract")
class RemoteMetadataStoreContractTest extends MetadataStoreContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path folder;

    private MetadataStore embedded;
    private CairnServer server;

    @Override
    protected String newStoreUri() {
        return "sqlite:" + folder.resolve("store-" + COUNTER.incrementAndGet() + "/cairn.db");
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return DriverManager.getConnection("jdbc:" + storeUri);
    }

    /** Runs after the contract opened its store: serve that store, and hand the tests the remote one. */
    @BeforeEach
    void serveTheStore() {
        embedded = store;
        server = CairnServer.withDefaultRoutes(embedded, Stores.openArtifacts(ARTIFACT_ROOT), "127.0.0.1", 0, List.of());
        server.start();
        store = Cairn.builder(server.url()).user("alice").build().metadataStore();
    }

    @AfterEach
    void stopServing() {
        server.stop();
        embedded.close();
    }

    // ---------------------------------------------------------------- where remote differs
    // Each override replaces a contract case that cannot hold over /api/v1, with what does hold.

    /** /api/v1 has no purge endpoint: refused with the server's own code for a missing route, and nothing is lost. */
    @Override
    @Test
    @DisplayName("purging is refused with ENDPOINT_NOT_FOUND (no /api/v1 endpoint) and leaves the deleted experiment restorable")
    void purgeThenReuseName() {
        String id = experiment("reused");
        String runId = run(id).info().runId();
        store.experiments().deleteExperiment(id);
        CairnException refused = failure(() -> store.experiments().purgeExperiment(id));
        assertThat(refused.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
        assertThat(refused.getMessage()).contains("purge experiments");
        assertThat(store.experiments().getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        store.experiments().restoreExperiment(id);
        assertThat(store.runs().getRun(runId).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
    }

    /**
     * A server takes artifact locations only under its artifact root (docs/security.md): the contract's custom
     * {@code s3://bucket/exp} is refused with a 400 naming artifact_location, and one under the root is kept.
     */
    @Override
    @Test
    @DisplayName("experiments get decimal ids and a location under the root; a location elsewhere is refused by the server")
    void createExperiment() {
        String id = store.experiments().createExperiment("churn", null, List.of(new Tag("team", "risk")));
        assertThat(store.experiments().getExperiment(id).artifactLocation()).isEqualTo(ARTIFACT_ROOT + "/" + id);
        CairnException refused = failure(() -> store.experiments().createExperiment("custom", "s3://bucket/exp", List.of()));
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(refused.details()).containsEntry("field", "artifact_location");
        String under = store.experiments().createExperiment("custom", ARTIFACT_ROOT + "/custom", List.of());
        assertThat(store.experiments().getExperiment(under).artifactLocation()).isEqualTo(ARTIFACT_ROOT + "/custom");
        assertThat(failure(() -> store.experiments().createExperiment("churn", null, List.of())).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
    }

    /** The server caps max_results at 1000 (the embedded store at 50000); ordering and paging are the same. */
    @Override
    @Test
    @DisplayName("searchRuns orders and pages remotely as embedded; the server caps max_results at 1000")
    void searchOrderAndPaging() {
        String exp = searchFixture();
        assertThat(search(exp, null)).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.loss ASC")).containsExactly("r5", "r4", "r2", "r1", "r3");
        assertThat(search(exp, null, "params.model", "attributes.start_time ASC")).containsExactly("r2", "r4", "r1", "r3", "r5");
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Run> page = store.runs().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("metrics.auc DESC"), 2, token);
            seen.addAll(runNames(page));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 10, "not-a-token")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        CairnException tooMany = failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 1001, null));
        assertThat(tooMany.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(tooMany.details()).containsEntry("field", "max_results");
    }

    /** The server checks that a version's run exists (the embedded store does not), so these versions name real runs. */
    @Override
    @Test
    @DisplayName("registered models get versions 1, 2, 3 from real runs; a version naming a missing run is refused")
    void modelsAndVersions() {
        String exp = experiment("models");
        RegisteredModel model = store.registry().createRegisteredModel("credit", "scores", List.of(new Tag("team", "risk")), "alice");
        assertThat(model.tags()).containsExactly(new Tag("team", "risk"));
        assertThat(failure(() -> store.registry().createRegisteredModel("credit", null, List.of(), "bob")).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = run(exp).info().runId();
            versions.add(store.registry().createModelVersion("credit", "runs:/" + runId + "/model", runId, "v" + i,
                    List.of(new Tag("i", "" + i)), "alice").version());
        }
        assertThat(versions).containsExactly(1L, 2L, 3L);
        assertThat(store.registry().getModelVersion("credit", 2).tags()).containsExactly(new Tag("i", "1"));
        assertThat(store.registry().updateModelVersion("credit", 2, "better").description()).isEqualTo("better");
        assertThat(store.registry().updateRegisteredModel("credit", "new").description()).isEqualTo("new");
        store.registry().setModelVersionTag("credit", 2, new Tag("k", "v"));
        store.registry().deleteModelVersionTag("credit", 2, "i");
        assertThat(store.registry().getModelVersion("credit", 2).tags()).containsExactly(new Tag("k", "v"));
        store.registry().deleteModelVersion("credit", 3, "alice");
        assertThat(failure(() -> store.registry().getModelVersion("credit", 3)).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.registry().createModelVersion("credit", source("model"), null, null, List.of(), "alice").version())
                .as("version numbers are never given out twice").isEqualTo(4);
        assertThat(failure(() -> store.registry().createModelVersion("credit", "runs:/" + "0".repeat(32) + "/model", null, null,
                List.of(), "alice")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Override
    @Test
    @DisplayName("registry searches filter by name, LIKE, run id and tags, with OR, and page (versions from real runs)")
    void registrySearch() {
        String exp = experiment("registry-search");
        String churn2 = null;
        for (String name : List.of("credit-scoring", "credit-limits", "churn")) {
            store.registry().createRegisteredModel(name, null, List.of(new Tag("team", name.startsWith("credit") ? "risk" : "growth")), "alice");
            String runId = run(exp).info().runId();
            store.registry().createModelVersion(name, "runs:/" + runId + "/model", runId, null, List.of(), "alice");
        }
        churn2 = run(exp).info().runId();
        store.registry().createModelVersion("churn", "runs:/" + churn2 + "/model", churn2, null, List.of(new Tag("candidate", "yes")), "alice");
        assertThat(store.registry().searchRegisteredModels("name LIKE '%credit%'", List.of(), 10, null).items())
                .extracting(RegisteredModel::name).containsExactly("credit-limits", "credit-scoring");
        assertThat(store.registry().searchRegisteredModels("tags.team = 'growth' OR name ILIKE 'CREDIT-L%'", List.of("name DESC"), 10, null).items())
                .extracting(RegisteredModel::name).containsExactly("credit-limits", "churn");
        Page<RegisteredModel> first = store.registry().searchRegisteredModels(null, List.of(), 2, null);
        assertThat(store.registry().searchRegisteredModels(null, List.of(), 2, first.nextPageToken()).items()).hasSize(1);
        assertThat(store.registry().searchModelVersions("run_id = '" + churn2 + "'", List.of(), 10, null).items())
                .extracting(ModelVersion::name, ModelVersion::version).containsExactly(org.assertj.core.groups.Tuple.tuple("churn", 2L));
        assertThat(store.registry().searchModelVersions("tags.candidate = 'yes'", List.of(), 10, null).items()).hasSize(1);
        assertThat(failure(() -> store.registry().searchModelVersions("metrics.x > 1", List.of(), 10, null)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    /** /api/v1 takes no audit events from clients; the server's own events list and page as embedded. */
    @Override
    @Test
    @DisplayName("the audit log lists newest first with paging; appending events is refused with ENDPOINT_NOT_FOUND")
    void auditLog() throws SQLException {
        store.registry().createRegisteredModel("audited", null, List.of(), "alice");
        store.registry().createModelVersion("audited", source("m"), null, null, List.of(), "bob");
        CairnException refused = failure(() -> store.registry().appendAuditEvent(new AuditEvent(0, 0, "deployer",
                AuditAction.DEPLOYMENT_CHANGED, "audited", 1L, "prod", "none", "canary 10%", "rollout")));
        assertThat(refused.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
        Page<AuditEvent> first = store.registry().listAuditEvents("audited", 1, null);
        assertThat(first.items()).extracting(AuditEvent::action, AuditEvent::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditAction.VERSION_CREATED, "bob"));
        Page<AuditEvent> second = store.registry().listAuditEvents("audited", 1, first.nextPageToken());
        assertThat(second.items()).extracting(AuditEvent::action, AuditEvent::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditAction.MODEL_CREATED, "alice"));
        assertThat(second.nextPageToken()).isNull();
        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_events")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
    }
}

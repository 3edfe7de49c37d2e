package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do, run against each database (SQLite, PostgreSQL): the
 * tracking and search parts it inherits, plus the registry, concurrency and durability. A
 * subclass says how to make a new empty store URI and how to reach its database directly; other
 * modules reuse it through cairn-store's test-jar.
 */
public abstract class MetadataStoreContract extends SearchContract {

    // ---------------------------------------------------------------- concurrency and durability

    @Test
    @DisplayName("8 threads logging metrics to one run at once lose nothing")
    void concurrentWritersLoseNothing() throws Exception {
        String id = run(experiment("concurrent")).info().runId();
        int threads = 8;
        int batches = 20;
        int perBatch = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int b = 0; b < batches; b++) {
                    List<Metric> metrics = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        long step = (long) b * perBatch + i;
                        metrics.add(new Metric("shared", thread * 10_000 + step, 1, step));
                        metrics.add(new Metric("t" + thread, step, 1, step));
                    }
                    store.runs().logBatch(id, metrics, List.of(new Param("p" + thread + "_" + b, "v")), List.of(new Tag("last", "t" + thread)));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) future.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(store.runs().getMetricHistory(id, "shared")).hasSize(threads * batches * perBatch);
        Run run = store.runs().getRun(id);
        assertThat(run.data().params()).hasSize(threads * batches);
        for (int t = 0; t < threads; t++) {
            assertThat(store.runs().getMetricHistory(id, "t" + t)).hasSize(batches * perBatch);
        }
        Metric latestShared = run.data().metrics().stream().filter(m -> m.key().equals("shared")).findFirst().orElseThrow();
        assertThat(latestShared.step()).isEqualTo(batches * perBatch - 1);
        assertThat(latestShared.value()).isEqualTo(7 * 10_000 + batches * perBatch - 1);
    }

    @Test
    @DisplayName("a store reopened after close sees everything, and migrating again changes nothing")
    void reopenSeesEverything() {
        String exp = experiment("durable");
        String id = run(exp).info().runId();
        store.runs().logBatch(id, List.of(new Metric("m", 2.5, 1, 1)), List.of(new Param("p", "1")), List.of(new Tag("t", "x")));
        store.registry().createRegisteredModel("durable-model", "d", List.of(), "alice");
        store.registry().createModelVersion("durable-model", "runs:/" + id + "/model", id, null, List.of(), "alice");
        store.registry().setAlias("durable-model", "champion", 1, "alice", null);
        Run before = store.runs().getRun(id);
        store.close();
        store = Stores.openMetadata(storeUri, ARTIFACT_ROOT);
        store.close();
        store = Stores.openMetadata(storeUri, ARTIFACT_ROOT);
        assertThat(store.runs().getRun(id)).isEqualTo(before);
        assertThat(store.experiments().getExperiment(exp).name()).isEqualTo("durable");
        assertThat(store.registry().getModelVersionByAlias("durable-model", "champion").version()).isEqualTo(1);
        assertThat(store.experiments().searchExperiments(ViewType.ALL, "name = 'Default'", List.of(), 10, null).items()).hasSize(1);
        assertThat(store.uri()).doesNotContain("postgres:postgres@");
    }

    // ---------------------------------------------------------------- registry

    @Test
    @DisplayName("registered-model names are MLflow's: any non-empty text, with unicode, '/', ':' and a leading '_'")
    void modelNamesAsMlflowAcceptsThem() {
        for (String name : List.of("team/fraud", "ns:model", "_private", "modèle ünïcode", "日本語", "a@b", "semi;colon'quote")) {
            store.registry().createRegisteredModel(name, null, List.of(), "alice");
            store.registry().createModelVersion(name, source("s"), null, null, List.of(), "alice");
            store.registry().setAlias(name, "champion", 1, "alice", null);
            assertThat(store.registry().getRegisteredModel(name).name()).isEqualTo(name);
            assertThat(store.registry().getModelVersionByAlias(name, "champion").name()).isEqualTo(name);
            String quoted = "'" + name.replace("'", "\\'") + "'";
            assertThat(store.registry().searchRegisteredModels("name = " + quoted, List.of(), 10, null).items())
                    .extracting(RegisteredModel::name).as(name).containsExactly(name);
        }
        assertThat(store.registry().renameRegisteredModel("team/fraud", "team/fraud:v2", "bob").name()).isEqualTo("team/fraud:v2");
        for (String bad : new String[] {"", "a\u0000b", "x".repeat(257)}) {
            assertThat(failure(() -> store.registry().createRegisteredModel(bad, null, List.of(), "alice")).code())
                    .as(bad).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        }
    }

    @Test
    @DisplayName("registered models get versions 1, 2, 3 with tags and descriptions; a duplicate name is refused")
    void modelsAndVersions() {
        RegisteredModel model = store.registry().createRegisteredModel("credit", "scores", List.of(new Tag("team", "risk")), "alice");
        assertThat(model.description()).isEqualTo("scores");
        assertThat(model.tags()).containsExactly(new Tag("team", "risk"));
        assertThat(failure(() -> store.registry().createRegisteredModel("credit", null, List.of(), "bob")).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            versions.add(store.registry().createModelVersion("credit", "runs:/r" + i + "/model", "r" + i, "v" + i,
                    List.of(new Tag("i", "" + i)), "alice").version());
        }
        assertThat(versions).containsExactly(1L, 2L, 3L);
        ModelVersion two = store.registry().getModelVersion("credit", 2);
        assertThat(two.currentStage()).isEqualTo("None");
        assertThat(two.source()).isEqualTo("runs:/r1/model");
        assertThat(two.tags()).containsExactly(new Tag("i", "1"));
        assertThat(store.registry().updateModelVersion("credit", 2, "better").description()).isEqualTo("better");
        assertThat(store.registry().updateRegisteredModel("credit", "new").description()).isEqualTo("new");
        store.registry().setModelVersionTag("credit", 2, new Tag("k", "v"));
        store.registry().deleteModelVersionTag("credit", 2, "i");
        assertThat(store.registry().getModelVersion("credit", 2).tags()).containsExactly(new Tag("k", "v"));
        store.registry().setRegisteredModelTag("credit", new Tag("owner", "x"));
        store.registry().deleteRegisteredModelTag("credit", "team");
        assertThat(store.registry().getRegisteredModel("credit").tags()).containsExactly(new Tag("owner", "x"));

        store.registry().deleteModelVersion("credit", 3, "alice");
        assertThat(failure(() -> store.registry().getModelVersion("credit", 3)).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.registry().createModelVersion("credit", source("s"), null, null, List.of(), "alice").version())
                .as("version numbers are never given out twice").isEqualTo(4);
        assertThat(failure(() -> store.registry().createModelVersion("missing", source("s"), null, null, List.of(), "a")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("stage transitions archive existing versions on request, and latest versions are per stage")
    void stageTransitions() {
        store.registry().createRegisteredModel("staged", null, List.of(), "alice");
        for (int i = 0; i < 3; i++) store.registry().createModelVersion("staged", source("s") + i, null, null, List.of(), "alice");
        store.registry().transitionModelVersionStage("staged", 1, "production", false, "alice", "first");
        store.registry().transitionModelVersionStage("staged", 2, "Staging", false, "alice", null);
        ModelVersion promoted = store.registry().transitionModelVersionStage("staged", 2, "Production", true, "bob", "better auc");
        assertThat(promoted.currentStage()).isEqualTo("Production");
        assertThat(store.registry().getModelVersion("staged", 1).currentStage()).isEqualTo("Archived");
        assertThat(store.registry().getLatestVersions("staged", List.of())).extracting(ModelVersion::currentStage, ModelVersion::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("None", 3L), org.assertj.core.groups.Tuple.tuple("Production", 2L),
                        org.assertj.core.groups.Tuple.tuple("Archived", 1L));
        assertThat(store.registry().getLatestVersions("staged", List.of("Production"))).extracting(ModelVersion::version).containsExactly(2L);
        assertThat(store.registry().getRegisteredModel("staged").latestVersions()).hasSize(3);
        assertThat(failure(() -> store.registry().transitionModelVersionStage("staged", 3, "Live", false, "a", null)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.registry().transitionModelVersionStage("staged", 3, "Archived", true, "a", null)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);

        List<AuditEvent> events = store.registry().listAuditEvents("staged", 100, null).items();
        assertThat(events.get(0)).extracting(AuditEvent::action, AuditEvent::version, AuditEvent::fromValue, AuditEvent::toValue,
                AuditEvent::actor, AuditEvent::comment).containsExactly(AuditAction.STAGE_TRANSITIONED, 2L, "Staging", "Production", "bob", "better auc");
        assertThat(events.get(1)).extracting(AuditEvent::action, AuditEvent::version, AuditEvent::fromValue, AuditEvent::toValue)
                .containsExactly(AuditAction.STAGE_TRANSITIONED, 1L, "Production", "Archived");
    }

    @Test
    @DisplayName("aliases are set, moved and deleted, each change written to the audit log")
    void aliasesAreAudited() {
        store.registry().createRegisteredModel("aliased", null, List.of(), "alice");
        store.registry().createModelVersion("aliased", source("s1"), null, null, List.of(), "alice");
        store.registry().createModelVersion("aliased", source("s2"), null, null, List.of(), "alice");
        store.registry().setAlias("aliased", "champion", 1, "alice", "first");
        store.registry().setAlias("aliased", "champion", 2, "bob", "retrained");
        assertThat(store.registry().getModelVersionByAlias("aliased", "champion").version()).isEqualTo(2);
        assertThat(store.registry().getModelVersion("aliased", 2).aliases()).containsExactly("champion");
        assertThat(store.registry().getRegisteredModel("aliased").aliases())
                .containsExactly(new dev.cairn.core.registry.ModelAlias("champion", 2));
        store.registry().deleteAlias("aliased", "champion", "carol", "rollback");
        assertThat(failure(() -> store.registry().getModelVersionByAlias("aliased", "champion")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);

        List<AuditEvent> events = store.registry().listAuditEvents("aliased", 100, null).items();
        assertThat(events).extracting(AuditEvent::action).containsExactly(AuditAction.ALIAS_DELETED, AuditAction.ALIAS_SET, AuditAction.ALIAS_SET,
                AuditAction.VERSION_CREATED, AuditAction.VERSION_CREATED, AuditAction.MODEL_CREATED);
        assertThat(events.get(0)).extracting(AuditEvent::actor, AuditEvent::subject, AuditEvent::fromValue, AuditEvent::toValue, AuditEvent::comment)
                .containsExactly("carol", "champion", "2", null, "rollback");
        assertThat(events.get(1)).extracting(AuditEvent::actor, AuditEvent::fromValue, AuditEvent::toValue).containsExactly("bob", "1", "2");
        assertThat(events.get(2)).extracting(AuditEvent::fromValue, AuditEvent::toValue).containsExactly(null, "1");

        assertThat(failure(() -> store.registry().setAlias("aliased", "latest", 1, "a", null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.registry().setAlias("aliased", "v3", 1, "a", null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.registry().setAlias("aliased", "x", 9, "a", null)).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("an alias changed with a precondition moves only from what the caller saw; otherwise CONFLICT naming who moved it")
    void aliasPreconditions() {
        store.registry().createRegisteredModel("cas", null, List.of(), "alice");
        for (int v = 1; v <= 3; v++) store.registry().createModelVersion("cas", source("s" + v), null, null, List.of(), "alice");
        store.registry().setAlias("cas", "champion", 1, "alice", "first", new AliasPrecondition.Absent());
        CairnException exists = failure(() -> store.registry().setAlias("cas", "champion", 2, "bob", null, new AliasPrecondition.Absent()));
        assertThat(exists.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(exists.getMessage()).contains("points at version 1", "changed by alice");

        store.registry().setAlias("cas", "champion", 2, "bob", "better", new AliasPrecondition.At(1));
        CairnException stale = failure(() -> store.registry().setAlias("cas", "champion", 3, "carol", null, new AliasPrecondition.At(1)));
        assertThat(stale.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(stale.getMessage()).contains("points at version 2", "changed by bob", "not version 1");
        assertThat(stale.details()).containsEntry("changed_by", "bob");
        assertThat(((Number) stale.details().get("current_version")).longValue()).isEqualTo(2L);
        assertThat(failure(() -> store.registry().deleteAlias("cas", "champion", "carol", null, new AliasPrecondition.At(1))).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(store.registry().getModelVersionByAlias("cas", "champion").version()).isEqualTo(2);
        // Refused changes leave no audit event.
        assertThat(store.registry().listAuditEvents("cas", 100, null).items()).filteredOn(e -> e.action() == AuditAction.ALIAS_SET)
                .extracting(AuditEvent::actor).containsExactly("bob", "alice");

        store.registry().deleteAlias("cas", "champion", "carol", "retired", new AliasPrecondition.At(2));
        assertThat(failure(() -> store.registry().getModelVersionByAlias("cas", "champion")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(failure(() -> store.registry().setAlias("cas", "champion", 3, "dave", null, new AliasPrecondition.At(2))).getMessage())
                .contains("does not exist", "changed by carol");
    }

    @Test
    @DisplayName("a protected alias moves only by a request a second person approves; a stale request is a conflict; all audited")
    void protectedAliasesNeedFourEyes() {
        store.registry().createRegisteredModel("four-eyes", null, List.of(), "alice");
        for (int v = 1; v <= 3; v++) store.registry().createModelVersion("four-eyes", source("s" + v), null, null, List.of(), "alice");
        store.registry().setAlias("four-eyes", "champion", 1, "alice", null);
        store.registry().protectAlias("four-eyes", "champion", true, "owner", "regulated");
        assertThat(store.registry().protectedAliases("four-eyes")).containsExactly("champion");
        assertThat(failure(() -> store.registry().setAlias("four-eyes", "champion", 2, "alice", null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure(() -> store.registry().deleteAlias("four-eyes", "champion", "alice", null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);

        AliasRequest first = store.registry().requestAliasChange("four-eyes", "champion", 2, "alice", "better", new AliasPrecondition.At(1));
        AliasRequest second = store.registry().requestAliasChange("four-eyes", "champion", 3, "carol", "even better", AliasPrecondition.ANY);
        assertThat(first.pending()).isTrue();
        assertThat(first.fromVersion()).isEqualTo(1L);
        assertThat(store.registry().listAliasRequests("four-eyes", true)).extracting(AliasRequest::id).containsExactly(second.id(), first.id());
        assertThat(failure(() -> store.registry().decideAliasChange("four-eyes", first.id(), true, "alice", null)).code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED);

        AliasRequest approved = store.registry().decideAliasChange("four-eyes", first.id(), true, "bob", "ok");
        assertThat(approved.state()).isEqualTo(AliasRequest.State.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("bob");
        assertThat(store.registry().getModelVersionByAlias("four-eyes", "champion").version()).isEqualTo(2);
        // Carol's request was made when the alias pointed at 1: approving it now would overwrite Bob's decision unseen.
        CairnException stale = failure(() -> store.registry().decideAliasChange("four-eyes", second.id(), true, "bob", null));
        assertThat(stale.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(store.registry().listAliasRequests("four-eyes", true)).extracting(AliasRequest::id).containsExactly(second.id());
        assertThat(store.registry().decideAliasChange("four-eyes", second.id(), false, "bob", "stale").state())
                .isEqualTo(AliasRequest.State.REJECTED);
        assertThat(store.registry().getModelVersionByAlias("four-eyes", "champion").version()).isEqualTo(2);

        List<AuditEvent> events = store.registry().listAuditEvents("four-eyes", 100, null).items();
        assertThat(events).extracting(AuditEvent::action).containsSubsequence(AuditAction.ALIAS_CHANGE_REJECTED, AuditAction.ALIAS_SET,
                AuditAction.ALIAS_CHANGE_APPROVED, AuditAction.ALIAS_CHANGE_REQUESTED, AuditAction.ALIAS_CHANGE_REQUESTED,
                AuditAction.ALIAS_PROTECTED);
        store.registry().protectAlias("four-eyes", "champion", false, "owner", "deregulated");
        store.registry().setAlias("four-eyes", "champion", 3, "alice", null);
        assertThat(store.registry().protectedAliases("four-eyes")).isEmpty();
    }

    @Test
    @DisplayName("threads on two stores moving the champion from the version they all saw: exactly one wins, the others get CONFLICT")
    void concurrentPromotionsHaveOneWinner() throws Exception {
        int threads = 16;
        store.registry().createRegisteredModel("raced", null, List.of(), "alice");
        for (int v = 1; v <= threads + 1; v++) store.registry().createModelVersion("raced", source("s" + v), null, null, List.of(), "alice");
        store.registry().setAlias("raced", "champion", 1, "alice", null);
        try (MetadataStore second = Stores.openMetadata(storeUri, ARTIFACT_ROOT)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MetadataStore mine = t % 2 == 0 ? store : second;
                    long target = t + 2;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            mine.registry().setAlias("raced", "champion", target, "user-" + target, null, new AliasPrecondition.At(1));
                            return true;
                        } catch (CairnException e) {
                            if (e.code() != ErrorCode.CONFLICT) throw e;
                            return false;
                        }
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> f : outcomes) winners += f.get(120, TimeUnit.SECONDS) ? 1 : 0;
                assertThat(winners).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
        long champion = store.registry().getModelVersionByAlias("raced", "champion").version();
        List<AuditEvent> moves = store.registry().listAuditEvents("raced", 100, null).items().stream()
                .filter(e -> e.action() == AuditAction.ALIAS_SET && "1".equals(e.fromValue())).toList();
        assertThat(moves).singleElement().satisfies(e -> {
            assertThat(e.toValue()).isEqualTo(Long.toString(champion));
            assertThat(e.actor()).isEqualTo("user-" + champion);
        });
    }

    @Test
    @DisplayName("deleting a version or a model deletes the aliases pointing at it, as MLflow does, each removal audited")
    void deletionTakesAliasesAlong() {
        store.registry().createRegisteredModel("guarded", null, List.of(), "alice");
        store.registry().createModelVersion("guarded", source("s1"), null, null, List.of(), "alice");
        store.registry().createModelVersion("guarded", source("s2"), null, null, List.of(), "alice");
        store.registry().setAlias("guarded", "champion", 1, "alice", null);
        store.registry().setAlias("guarded", "challenger", 2, "alice", null);

        store.registry().deleteModelVersion("guarded", 1, "bob");
        assertThat(failure(() -> store.registry().getModelVersion("guarded", 1)).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(failure(() -> store.registry().getModelVersionByAlias("guarded", "champion")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.registry().getRegisteredModel("guarded").aliases()).extracting(a -> a.alias()).containsExactly("challenger");
        List<AuditEvent> afterVersion = store.registry().listAuditEvents("guarded", 10, null).items();
        assertThat(afterVersion).extracting(AuditEvent::action).startsWith(AuditAction.VERSION_DELETED, AuditAction.ALIAS_DELETED);
        assertThat(afterVersion.get(1)).extracting(AuditEvent::actor, AuditEvent::subject, AuditEvent::fromValue, AuditEvent::toValue)
                .containsExactly("bob", "champion", "1", null);

        store.registry().deleteRegisteredModel("guarded", "carol");
        assertThat(failure(() -> store.registry().getRegisteredModel("guarded")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        List<AuditEvent> afterModel = store.registry().listAuditEvents("guarded", 10, null).items();
        assertThat(afterModel).extracting(AuditEvent::action).startsWith(AuditAction.MODEL_DELETED, AuditAction.ALIAS_DELETED);
        assertThat(afterModel.get(1)).extracting(AuditEvent::actor, AuditEvent::subject, AuditEvent::fromValue)
                .containsExactly("carol", "challenger", "2");

        // A model of the same name starts without the old aliases.
        store.registry().createRegisteredModel("guarded", null, List.of(), "alice");
        store.registry().createModelVersion("guarded", source("s3"), null, null, List.of(), "alice");
        assertThat(store.registry().getRegisteredModel("guarded").aliases()).isEmpty();
    }

    @Test
    @DisplayName("renaming a model carries its versions, tags and aliases along")
    void renameModel() {
        store.registry().createRegisteredModel("old-name", null, List.of(new Tag("t", "1")), "alice");
        store.registry().createModelVersion("old-name", source("s1"), null, null, List.of(new Tag("vt", "1")), "alice");
        store.registry().setAlias("old-name", "champion", 1, "alice", null);
        RegisteredModel renamed = store.registry().renameRegisteredModel("old-name", "new-name", "bob");
        assertThat(renamed.name()).isEqualTo("new-name");
        assertThat(renamed.tags()).containsExactly(new Tag("t", "1"));
        ModelVersion version = store.registry().getModelVersionByAlias("new-name", "champion");
        assertThat(version.name()).isEqualTo("new-name");
        assertThat(version.tags()).containsExactly(new Tag("vt", "1"));
        assertThat(failure(() -> store.registry().getRegisteredModel("old-name")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        AuditEvent event = store.registry().listAuditEvents("new-name", 1, null).items().get(0);
        assertThat(event).extracting(AuditEvent::action, AuditEvent::fromValue, AuditEvent::toValue)
                .containsExactly(AuditAction.MODEL_RENAMED, "old-name", "new-name");
        store.registry().createRegisteredModel("taken", null, List.of(), "alice");
        assertThat(failure(() -> store.registry().renameRegisteredModel("new-name", "taken", "bob")).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
    }

    @Test
    @DisplayName("registry searches filter by name, LIKE, run id and tags, with OR, and page")
    void registrySearch() {
        for (String name : List.of("credit-scoring", "credit-limits", "churn")) {
            store.registry().createRegisteredModel(name, null, List.of(new Tag("team", name.startsWith("credit") ? "risk" : "growth")), "alice");
            store.registry().createModelVersion(name, "runs:/run-" + name + "/model", "run-" + name, null, List.of(), "alice");
        }
        store.registry().createModelVersion("churn", "runs:/run-churn2/model", "run-churn2", null, List.of(new Tag("candidate", "yes")), "alice");
        assertThat(store.registry().searchRegisteredModels("name LIKE '%credit%'", List.of(), 10, null).items())
                .extracting(RegisteredModel::name).containsExactly("credit-limits", "credit-scoring");
        assertThat(store.registry().searchRegisteredModels("name = 'churn'", List.of(), 10, null).items()).hasSize(1);
        assertThat(store.registry().searchRegisteredModels("tags.team = 'growth' OR name ILIKE 'CREDIT-L%'", List.of("name DESC"), 10, null).items())
                .extracting(RegisteredModel::name).containsExactly("credit-limits", "churn");
        Page<RegisteredModel> first = store.registry().searchRegisteredModels(null, List.of(), 2, null);
        assertThat(first.nextPageToken()).isNotNull();
        assertThat(store.registry().searchRegisteredModels(null, List.of(), 2, first.nextPageToken()).items()).hasSize(1);

        assertThat(store.registry().searchModelVersions("run_id = 'run-churn2'", List.of(), 10, null).items())
                .extracting(ModelVersion::name, ModelVersion::version).containsExactly(org.assertj.core.groups.Tuple.tuple("churn", 2L));
        assertThat(store.registry().searchModelVersions("name = 'churn'", List.of(), 10, null).items()).extracting(ModelVersion::version)
                .containsExactly(2L, 1L);
        assertThat(store.registry().searchModelVersions("tags.candidate = 'yes'", List.of(), 10, null).items()).hasSize(1);
        assertThat(store.registry().searchModelVersions("name LIKE 'credit%' AND version_number = 1", List.of(), 10, null).items()).hasSize(2);
        assertThat(failure(() -> store.registry().searchModelVersions("metrics.x > 1", List.of(), 10, null)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("the audit log lists newest first with paging, takes events from others, and refuses updates and deletes")
    void auditLog() throws SQLException {
        store.registry().createRegisteredModel("audited", null, List.of(), "alice");
        store.registry().createModelVersion("audited", source("s1"), null, null, List.of(), "alice");
        store.registry().appendAuditEvent(new AuditEvent(0, 0, "deployer", AuditAction.DEPLOYMENT_CHANGED, "audited", 1L,
                "prod", "none", "canary 10%", "rollout"));
        store.registry().appendAuditEvent(new AuditEvent(0, 0, "ops", AuditAction.PROMOTION_FORCED, "other", 1L, null, null, null, "urgent"));
        Page<AuditEvent> first = store.registry().listAuditEvents("audited", 2, null);
        assertThat(first.items()).extracting(AuditEvent::action).containsExactly(AuditAction.DEPLOYMENT_CHANGED, AuditAction.VERSION_CREATED);
        assertThat(first.items().get(0).timestamp()).isPositive();
        Page<AuditEvent> second = store.registry().listAuditEvents("audited", 2, first.nextPageToken());
        assertThat(second.items()).extracting(AuditEvent::action).containsExactly(AuditAction.MODEL_CREATED);
        assertThat(second.nextPageToken()).isNull();
        assertThat(store.registry().listAuditEvents(null, 10, null).items()).hasSize(4)
                .first().extracting(AuditEvent::action).isEqualTo(AuditAction.PROMOTION_FORCED);

        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_events SET actor = 'mallory'")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_events")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(store.registry().listAuditEvents(null, 10, null).items()).extracting(AuditEvent::actor).doesNotContain("mallory").hasSize(4);
    }

    @Test
    @DisplayName("concurrent registrations of one model get distinct consecutive version numbers")
    void concurrentVersions() throws Exception {
        store.registry().createRegisteredModel("busy", null, List.of(), "alice");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(pool.submit(() -> store.registry().createModelVersion("busy", source("s"), null, null, List.of(), "alice").version()));
        }
        Set<Long> versions = new HashSet<>();
        for (Future<Long> future : futures) versions.add(future.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(versions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) i).toList());
    }
}

package dev.cairn.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a trainer or pipeline does through the store interfaces, written once and run against an
 * embedded store and against a remote one: the results must be the same.
 */
abstract class TrackingScenarios {

    /** The store under test, fresh and empty for each test. */
    abstract MetadataStore store();

    static CairnException failure(Runnable action) {
        CairnException e = catchThrowableOfType(CairnException.class, action::run);
        assertThat(e).as("expected a CairnException").isNotNull();
        return e;
    }

    @Test
    @DisplayName("an experiment and a run record a batch of metrics, params, tags and inputs, then end")
    void experimentRunAndBatch() {
        String exp = store().experiments().createExperiment("credit", null, List.of(new Tag("team", "risk")));
        assertThat(store().experiments().getExperimentByName("credit").orElseThrow().experimentId()).isEqualTo(exp);
        Run run = store().runs().createRun(exp, "alice", 1_000L, "first", List.of(new Tag("stage", "dev")));
        String id = run.info().runId();
        assertThat(run.info().userId()).isEqualTo("alice");
        assertThat(run.info().status()).isEqualTo(RunStatus.RUNNING);

        store().runs().logBatch(id, List.of(new Metric("auc", 0.70, 10, 0), new Metric("auc", 0.81, 20, 1)),
                List.of(new Param("max_depth", "6"), new Param("eta", "0.1")), List.of(new Tag("note", "baseline")));
        store().runs().logMetric(id, new Metric("loss", 0.3, 30, 1));
        store().runs().logInputs(id, List.of(new DatasetInput(new Dataset("german", "abc123", "local", "{\"path\":\"g.csv\"}", null, null),
                List.of(new Tag(SystemTags.DATASET_CONTEXT, "training")))));
        RunInfo ended = store().runs().updateRun(id, RunStatus.FINISHED, 5_000L, null);
        assertThat(ended.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(ended.endTime()).isEqualTo(5_000L);

        Run stored = store().runs().getRun(id);
        assertThat(stored.data().metrics()).extracting(Metric::key, Metric::value).containsExactlyInAnyOrder(
                tuple("auc", 0.81), tuple("loss", 0.3));
        assertThat(stored.data().params()).containsExactlyInAnyOrder(new Param("max_depth", "6"), new Param("eta", "0.1"));
        assertThat(stored.data().tags()).contains(new Tag("note", "baseline"), new Tag("stage", "dev"));
        assertThat(stored.inputs()).singleElement().satisfies(input -> assertThat(input.dataset().digest()).isEqualTo("abc123"));
        assertThat(store().runs().getMetricHistory(id, "auc")).extracting(Metric::step, Metric::value)
                .containsExactly(tuple(0L, 0.70), tuple(1L, 0.81));
        store().runs().deleteTag(id, "note");
        assertThat(store().runs().getRun(id).data().tags()).doesNotContain(new Tag("note", "baseline"));
    }

    @Test
    @DisplayName("a param logged again with another value is refused with INVALID_PARAMETER_VALUE, and its whole batch with it")
    void paramsAreImmutable() {
        String exp = store().experiments().createExperiment("immutable", null, List.of());
        String id = store().runs().createRun(exp, "alice", 1L, null, List.of()).info().runId();
        store().runs().logParam(id, new Param("lr", "0.1"));
        store().runs().logParam(id, new Param("lr", "0.1"));
        CairnException refused = failure(() -> store().runs().logBatch(id, List.of(new Metric("m", 1, 1, 0)),
                List.of(new Param("lr", "0.2")), List.of(new Tag("t", "x"))));
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(refused.getMessage()).contains("lr");
        Run run = store().runs().getRun(id);
        assertThat(run.data().params()).containsExactly(new Param("lr", "0.1"));
        assertThat(run.data().metrics()).as("nothing of the refused batch is stored").isEmpty();
        assertThat(run.data().tags()).doesNotContain(new Tag("t", "x"));
    }

    @Test
    @DisplayName("searchRuns filters and orders by metrics and params")
    void searchWithFilter() {
        String exp = store().experiments().createExperiment("search", null, List.of());
        double[] auc = {0.70, 0.85, 0.90};
        String[] depth = {"3", "6", "6"};
        for (int i = 0; i < 3; i++) {
            String id = store().runs().createRun(exp, "alice", 1000L + i, "r" + i, List.of()).info().runId();
            store().runs().logBatch(id, List.of(new Metric("auc", auc[i], 1, 0)), List.of(new Param("depth", depth[i])), List.of());
        }
        List<String> names = store().runs().searchRuns(List.of(exp), "metrics.auc > 0.8 and params.depth = '6'", ViewType.ACTIVE_ONLY,
                List.of("metrics.auc DESC"), 100, null).items().stream().map(r -> r.info().runName()).toList();
        assertThat(names).containsExactly("r2", "r1");
        CairnException malformed = failure(() -> store().runs().searchRuns(List.of(exp), "metrics.auc >>> 1", ViewType.ACTIVE_ONLY,
                List.of(), 10, null));
        assertThat(malformed.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("the registry registers versions, moves an alias, and audits each change with its actor and comment")
    void registryAliasAndAudit() {
        String exp = store().experiments().createExperiment("registry", null, List.of());
        String runId = store().runs().createRun(exp, "alice", 1L, null, List.of()).info().runId();
        store().registry().createRegisteredModel("credit", "scores applicants", List.of(), "alice");
        store().registry().createModelVersion("credit", "runs:/" + runId + "/model", runId, null, List.of(), "bob");
        store().registry().createModelVersion("credit", "runs:/" + runId + "/model2", runId, null, List.of(), "bob");
        store().registry().setAlias("credit", "champion", 1, "carol", "first");
        store().registry().setAlias("credit", "champion", 2, "dave", "retrained");
        ModelVersion champion = store().registry().getModelVersionByAlias("credit", "champion");
        assertThat(champion.version()).isEqualTo(2);
        assertThat(champion.aliases()).containsExactly("champion");

        List<AuditEvent> events = store().registry().listAuditEvents("credit", 100, null).items();
        assertThat(events).extracting(AuditEvent::action, AuditEvent::actor, AuditEvent::fromValue, AuditEvent::toValue, AuditEvent::comment)
                .startsWith(tuple(AuditAction.ALIAS_SET, "dave", "1", "2", "retrained"), tuple(AuditAction.ALIAS_SET, "carol", null, "1", "first"));
        assertThat(events).extracting(AuditEvent::action, AuditEvent::actor).endsWith(
                tuple(AuditAction.VERSION_CREATED, "bob"), tuple(AuditAction.VERSION_CREATED, "bob"), tuple(AuditAction.MODEL_CREATED, "alice"));
        store().registry().deleteAlias("credit", "champion", "frank", "rollback");
        assertThat(failure(() -> store().registry().getModelVersionByAlias("credit", "champion")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store().registry().listAuditEvents("credit", 1, null).items()).extracting(AuditEvent::action, AuditEvent::actor,
                AuditEvent::comment).containsExactly(tuple(AuditAction.ALIAS_DELETED, "frank", "rollback"));

        // As MLflow, deleting a version deletes the aliases pointing at it, each removal audited.
        store().registry().setAlias("credit", "challenger", 1, "gina", null);
        store().registry().deleteModelVersion("credit", 1, "gina");
        assertThat(failure(() -> store().registry().getModelVersionByAlias("credit", "challenger")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store().registry().listAuditEvents("credit", 2, null).items()).extracting(AuditEvent::action, AuditEvent::actor,
                AuditEvent::subject).containsExactly(tuple(AuditAction.VERSION_DELETED, "gina", "runs:/" + runId + "/model"),
                tuple(AuditAction.ALIAS_DELETED, "gina", "challenger"));
    }

    @Test
    @DisplayName("missing and duplicate resources carry the same error codes and details")
    void errorsKeepTheirCodes() {
        assertThat(failure(() -> store().runs().getRun("0123456789abcdef0123456789abcdef")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        store().experiments().createExperiment("twice", null, List.of());
        assertThat(failure(() -> store().experiments().createExperiment("twice", null, List.of())).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        assertThat(failure(() -> store().registry().getRegisteredModel("nobody")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        // A run's model: a server takes model sources only from its artifact store.
        String runId = store().runs().createRun(store().experiments().createExperiment("staging", null, List.of()), "alice", 1L, "m", List.of())
                .info().runId();
        CairnException stage = failure(() -> {
            store().registry().createRegisteredModel("staged", null, List.of(), "alice");
            store().registry().createModelVersion("staged", "runs:/" + runId + "/model", runId, null, List.of(), "alice");
            store().registry().transitionModelVersionStage("staged", 1, "Live", false, "alice", null);
        });
        assertThat(stage.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(stage.getMessage()).contains("Live");
    }
}

package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.LifecycleStage;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The contract for experiments and runs (part of {@link MetadataStoreContract}). */
public abstract class TrackingContract extends StoreContractSupport {

    // ---------------------------------------------------------------- experiments

    @Test
    @DisplayName("a new store has MLflow's default experiment 'Default' with id 0 under the artifact root")
    void defaultExperiment() {
        Experiment experiment = store.experiments().getExperiment("0");
        assertThat(experiment.name()).isEqualTo("Default");
        assertThat(experiment.artifactLocation()).isEqualTo(ARTIFACT_ROOT + "/0");
        assertThat(experiment.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(store.experiments().getExperimentByName("Default")).contains(experiment);
    }

    @Test
    @DisplayName("experiments get decimal ids, a location under the root, tags, and a duplicate name is refused")
    void createExperiment() {
        String id = store.experiments().createExperiment("churn", null, List.of(new Tag("team", "risk")));
        assertThat(id).matches("[1-9][0-9]*");
        Experiment experiment = store.experiments().getExperiment(id);
        assertThat(experiment.artifactLocation()).isEqualTo(ARTIFACT_ROOT + "/" + id);
        assertThat(experiment.tags()).containsExactly(new Tag("team", "risk"));
        String custom = store.experiments().createExperiment("custom", "s3://bucket/exp", List.of());
        assertThat(store.experiments().getExperiment(custom).artifactLocation()).isEqualTo("s3://bucket/exp");

        assertThat(failure(() -> store.experiments().createExperiment("churn", null, List.of())).code())
                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        assertThat(failure(() -> store.experiments().createExperiment("", null, List.of())).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.experiments().getExperiment("12345")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(failure(() -> store.experiments().getExperiment("abc")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.experiments().getExperimentByName("missing")).isEmpty();
    }

    @Test
    @DisplayName("renaming and tagging an experiment; a name in use is refused")
    void renameAndTagExperiment() {
        String id = experiment("a");
        experiment("b");
        store.experiments().renameExperiment(id, "a2");
        assertThat(store.experiments().getExperiment(id).name()).isEqualTo("a2");
        assertThat(failure(() -> store.experiments().renameExperiment(id, "b")).code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        store.experiments().setExperimentTag(id, new Tag("k", "1"));
        store.experiments().setExperimentTag(id, new Tag("k", "2"));
        assertThat(store.experiments().getExperiment(id).tags()).containsExactly(new Tag("k", "2"));
        store.experiments().deleteExperimentTag(id, "k");
        assertThat(store.experiments().getExperiment(id).tags()).isEmpty();
        assertThat(failure(() -> store.experiments().deleteExperimentTag(id, "k")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("deleting an experiment deletes its runs; restoring brings both back; writes to a deleted one are refused")
    void deleteAndRestoreExperiment() {
        String id = experiment("lifecycle");
        Run run = run(id);
        store.experiments().deleteExperiment(id);
        assertThat(store.experiments().getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(store.runs().getRun(run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(failure(() -> run(id)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        CairnException again = failure(() -> store.experiments().deleteExperiment(id));
        assertThat(again.code()).as("as MLflow, a deleted experiment is not found for deletion").isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(again.getMessage()).contains(id);
        assertThat(failure(() -> store.experiments().createExperiment("lifecycle", null, List.of())).code())
                .as("a deleted experiment's name stays taken until it is purged").isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);

        store.experiments().restoreExperiment(id);
        assertThat(store.experiments().getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(store.runs().getRun(run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
    }

    @Test
    @DisplayName("purging a deleted experiment removes it and its runs, and its name can be used again")
    void purgeThenReuseName() {
        String id = experiment("reused");
        Run run = run(id);
        store.runs().logBatch(run.info().runId(), List.of(new Metric("m", 1, 1, 0)), List.of(new Param("p", "1")), List.of());
        store.runs().logInputs(run.info().runId(), List.of(new DatasetInput(new Dataset("d", "abc", "local", "{}", null, null), List.of())));
        assertThat(failure(() -> store.experiments().purgeExperiment(id)).code()).as("only deleted experiments are purged")
                .isEqualTo(ErrorCode.INVALID_STATE);
        store.experiments().deleteExperiment(id);
        store.experiments().purgeExperiment(id);
        assertThat(failure(() -> store.experiments().getExperiment(id)).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(failure(() -> store.runs().getRun(run.info().runId())).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);

        String again = experiment("reused");
        assertThat(again).isNotEqualTo(id);
        assertThat(store.experiments().getExperiment(again).name()).isEqualTo("reused");
    }

    @Test
    @DisplayName("searchExperiments filters by name LIKE and tags, by view type, and pages")
    void searchExperiments() {
        String credit = store.experiments().createExperiment("credit-risk", null, List.of(new Tag("team", "risk")));
        store.experiments().createExperiment("credit-limit", null, List.of(new Tag("team", "growth")));
        String churn = store.experiments().createExperiment("churn", null, List.of(new Tag("team", "risk")));
        store.experiments().deleteExperiment(churn);

        Page<Experiment> like = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, "name LIKE 'credit%'", List.of("name ASC"), 10, null);
        assertThat(like.items()).extracting(Experiment::name).containsExactly("credit-limit", "credit-risk");
        Page<Experiment> tagged = store.experiments().searchExperiments(ViewType.ALL, "tags.team = 'risk'", List.of("name"), 10, null);
        assertThat(tagged.items()).extracting(Experiment::name).containsExactly("churn", "credit-risk");
        Page<Experiment> deleted = store.experiments().searchExperiments(ViewType.DELETED_ONLY, null, List.of(), 10, null);
        assertThat(deleted.items()).extracting(Experiment::experimentId).containsExactly(churn);
        Page<Experiment> both = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY,
                "name = 'Default' OR (tags.team = 'risk' AND name ILIKE 'CREDIT%')", List.of("experiment_id ASC"), 10, null);
        assertThat(both.items()).extracting(Experiment::experimentId).containsExactly("0", credit);

        Page<Experiment> first = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name"), 2, null);
        assertThat(first.items()).hasSize(2);
        assertThat(first.nextPageToken()).isNotNull();
        Page<Experiment> second = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name"), 2, first.nextPageToken());
        assertThat(second.items()).extracting(Experiment::name).containsExactly("credit-risk");
        assertThat(second.nextPageToken()).isNull();
    }

    // ---------------------------------------------------------------- runs

    @Test
    @DisplayName("a run gets a 32-hex id, a generated name stored as the mlflow.runName tag, and an artifact URI under its experiment")
    void createRun() {
        String exp = experiment("runs");
        Run run = store.runs().createRun(exp, "alice", 1234L, null, List.of(new Tag("team", "risk")));
        RunInfo info = run.info();
        assertThat(info.runId()).matches("[0-9a-f]{32}");
        assertThat(info.runName()).isNotBlank();
        assertThat(run.data().tags()).contains(new Tag(SystemTags.RUN_NAME, info.runName()), new Tag("team", "risk"));
        assertThat(info.artifactUri()).isEqualTo(ARTIFACT_ROOT + "/" + exp + "/" + info.runId() + "/artifacts");
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.startTime()).isEqualTo(1234L);
        assertThat(info.endTime()).isNull();
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(store.runs().getRun(info.runId())).isEqualTo(run);

        Run named = store.runs().createRun(exp, "bob", 1L, null, List.of(new Tag(SystemTags.RUN_NAME, "from-tag")));
        assertThat(named.info().runName()).isEqualTo("from-tag");
        assertThat(failure(() -> store.runs().createRun(exp, "bob", 1L, "a", List.of(new Tag(SystemTags.RUN_NAME, "b")))).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().getRun("0123456789abcdef0123456789abcdef")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("updateRun sets status, end time and name (and the mlflow.runName tag)")
    void updateRun() {
        Run run = run(experiment("update"));
        String id = run.info().runId();
        RunInfo updated = store.runs().updateRun(id, RunStatus.FINISHED, 99L, "renamed");
        assertThat(updated.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(updated.endTime()).isEqualTo(99L);
        assertThat(updated.runName()).isEqualTo("renamed");
        assertThat(store.runs().getRun(id).data().tags()).contains(new Tag(SystemTags.RUN_NAME, "renamed"));
        RunInfo kept = store.runs().updateRun(id, RunStatus.FAILED, null, null);
        assertThat(kept.endTime()).isEqualTo(99L);
        assertThat(kept.runName()).isEqualTo("renamed");
        store.runs().setTag(id, new Tag(SystemTags.RUN_NAME, "via-tag"));
        assertThat(store.runs().getRun(id).info().runName()).isEqualTo("via-tag");
    }

    @Test
    @DisplayName("params are immutable: the same value again is fine, another value is refused with key, old and new value")
    void paramsAreImmutable() {
        String id = run(experiment("params")).info().runId();
        store.runs().logParam(id, new Param("lr", "0.1"));
        store.runs().logParam(id, new Param("lr", "0.1"));
        CairnException e = failure(() -> store.runs().logParam(id, new Param("lr", "0.2")));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("lr").contains("0.1").contains("0.2");
        assertThat(store.runs().getRun(id).data().params()).containsExactly(new Param("lr", "0.1"));
    }

    @Test
    @DisplayName("a batch that fails midway leaves nothing behind")
    void batchIsAtomic() {
        String id = run(experiment("atomic")).info().runId();
        store.runs().logParam(id, new Param("depth", "6"));
        CairnException e = failure(() -> store.runs().logBatch(id,
                List.of(new Metric("auc", 0.9, 1, 0), new Metric("loss", 0.1, 1, 0)),
                List.of(new Param("new", "x"), new Param("depth", "7")),
                List.of(new Tag("t", "v"))));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        Run run = store.runs().getRun(id);
        assertThat(run.data().metrics()).isEmpty();
        assertThat(run.data().params()).containsExactly(new Param("depth", "6"));
        assertThat(run.data().tags()).extracting(Tag::key).doesNotContain("t");
        assertThat(store.runs().getMetricHistory(id, "auc")).isEmpty();
    }

    @Test
    @DisplayName("MLflow's batch limits and key checks are enforced, naming the limit")
    void batchLimits() {
        String id = run(experiment("limits")).info().runId();
        List<Metric> tooMany = IntStream.range(0, 1001).mapToObj(i -> new Metric("m" + i, i, 1, 0)).toList();
        assertThat(failure(() -> store.runs().logBatch(id, tooMany, List.of(), List.of())).getMessage()).contains("at most 1000 metrics");
        List<Param> params = IntStream.range(0, 101).mapToObj(i -> new Param("p" + i, "v")).toList();
        assertThat(failure(() -> store.runs().logBatch(id, List.of(), params, List.of())).getMessage()).contains("at most 100 params");
        List<Tag> tags = IntStream.range(0, 101).mapToObj(i -> new Tag("t" + i, "v")).toList();
        assertThat(failure(() -> store.runs().logBatch(id, List.of(), List.of(), tags)).getMessage()).contains("at most 100 tags");
        List<Metric> metrics = IntStream.range(0, 950).mapToObj(i -> new Metric("m" + i, i, 1, 0)).toList();
        List<Param> fifty = IntStream.range(0, 51).mapToObj(i -> new Param("p" + i, "v")).toList();
        assertThat(failure(() -> store.runs().logBatch(id, metrics, fifty, List.of())).getMessage())
                .contains("at most 1000 metrics, params, and tags");
        assertThat(failure(() -> store.runs().logParam(id, new Param("p", "x".repeat(6001)))).getMessage()).contains("6000");
        assertThat(failure(() -> store.runs().logParam(id, new Param("../escape", "x"))).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().logMetric(id, new Metric("bad*name", 1, 1, 0))).getMessage()).contains("bad*name");
        assertThat(failure(() -> store.runs().logBatch(id, List.of(), List.of(new Param("a", "1"), new Param("a", "1")), List.of())).getMessage())
                .contains("Duplicate parameter keys");
        assertThat(store.runs().getRun(id).data().metrics()).isEmpty();
    }

    @Test
    @DisplayName("metric history is kept whole (a repeated identical point once); the latest point is chosen by step, then timestamp, then value")
    void metricHistoryAndLatest() {
        String id = run(experiment("metrics")).info().runId();
        store.runs().logBatch(id, List.of(new Metric("loss", 0.5, 100, 2), new Metric("loss", 0.9, 200, 1)), List.of(), List.of());
        store.runs().logMetric(id, new Metric("loss", 0.7, 50, 2));
        store.runs().logMetric(id, new Metric("loss", 0.4, 100, 2));
        store.runs().logMetric(id, new Metric("loss", 0.3, 10, 0));
        // The very same point again (a retried batch) is stored once, as in MLflow.
        store.runs().logBatch(id, List.of(new Metric("loss", 0.3, 10, 0), new Metric("loss", 0.3, 10, 0)), List.of(), List.of());
        assertThat(store.runs().getMetricHistory(id, "loss")).containsExactly(
                new Metric("loss", 0.3, 10, 0), new Metric("loss", 0.9, 200, 1), new Metric("loss", 0.7, 50, 2),
                new Metric("loss", 0.4, 100, 2), new Metric("loss", 0.5, 100, 2));
        assertThat(store.runs().getRun(id).data().metrics()).containsExactly(new Metric("loss", 0.5, 100, 2));
    }

    @Test
    @DisplayName("a metric's history comes in pages that together are the whole history, in order, NaN and ties included")
    void metricHistoryPages() {
        String id = run(experiment("paged-history")).info().runId();
        List<Metric> logged = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            // Points sharing step and timestamp differ only by value (or by being NaN), across page boundaries.
            double value = i % 7 == 0 ? Double.NaN : i % 5 == 0 ? Double.NEGATIVE_INFINITY : (i % 3) * 0.5;
            logged.add(new Metric("loss", value, 1_000 + i / 3, i / 6));
        }
        for (int from = 0; from < logged.size(); from += 1000) {
            store.runs().logBatch(id, logged.subList(from, Math.min(logged.size(), from + 1000)), List.of(), List.of());
        }
        List<Metric> all = store.runs().getMetricHistory(id, "loss");
        for (int size : new int[] {1, 7, 1000, 25_000}) {
            List<Metric> paged = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                Page<Metric> page = store.runs().getMetricHistory(id, "loss", size, token);
                assertThat(page.items().size()).isLessThanOrEqualTo(size);
                paged.addAll(page.items());
                token = page.nextPageToken();
                pages++;
            } while (token != null && pages <= all.size());
            assertThat(paged).as("page size " + size).isEqualTo(all); // records compare doubles with Double.compare: NaN equals NaN
        }
        assertThat(store.runs().getMetricHistory(id, "missing", 10, null).items()).isEmpty();
        assertThat(failure(() -> store.runs().getMetricHistory(id, "loss", 0, null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().getMetricHistory(id, "loss", 25_001, null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().getMetricHistory(id, "loss", 10, "garbage")).details()).containsEntry("field", "page_token");
        assertThat(failure(() -> store.runs().getMetricHistory("0123456789abcdef0123456789abcdef", "loss", 10, null)).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("NaN and infinite metric values are stored and returned as they were logged")
    void specialMetricValues() {
        String id = run(experiment("nan")).info().runId();
        store.runs().logBatch(id, List.of(new Metric("nan", Double.NaN, 1, 0), new Metric("pos", Double.POSITIVE_INFINITY, 1, 0),
                new Metric("neg", Double.NEGATIVE_INFINITY, 1, 0), new Metric("tiny", Double.MIN_VALUE, 1, 0)), List.of(), List.of());
        List<Metric> latest = store.runs().getRun(id).data().metrics();
        assertThat(latest).extracting(Metric::key).containsExactly("nan", "neg", "pos", "tiny");
        assertThat(latest.get(0).value()).isNaN();
        assertThat(latest.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(latest.get(2).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(latest.get(3).value()).isEqualTo(Double.MIN_VALUE);
        assertThat(store.runs().getMetricHistory(id, "nan").get(0).value()).isNaN();
        String exp = store.runs().getRun(id).info().experimentId();
        assertThat(store.runs().searchRuns(List.of(exp), "metrics.pos > 1e300", ViewType.ALL, List.of(), 10, null).items()).hasSize(1);
        assertThat(store.runs().searchRuns(List.of(exp), "metrics.nan >= 0", ViewType.ALL, List.of(), 10, null).items()).isEmpty();
    }

    @Test
    @DisplayName("tags are upserted and deleted; deleting an absent tag is RESOURCE_DOES_NOT_EXIST")
    void tags() {
        String id = run(experiment("tags")).info().runId();
        store.runs().setTag(id, new Tag("k", "1"));
        store.runs().setTag(id, new Tag("k", "2"));
        assertThat(store.runs().getRun(id).data().tags()).contains(new Tag("k", "2")).doesNotContain(new Tag("k", "1"));
        store.runs().deleteTag(id, "k");
        assertThat(store.runs().getRun(id).data().tags()).extracting(Tag::key).doesNotContain("k");
        assertThat(failure(() -> store.runs().deleteTag(id, "k")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("logging to a deleted run is refused; a restored run accepts writes again")
    void deletedRunRefusesWrites() {
        String id = run(experiment("deleted-run")).info().runId();
        store.runs().deleteRun(id);
        assertThat(store.runs().getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        CairnException e = failure(() -> store.runs().logMetric(id, new Metric("m", 1, 1, 0)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("active");
        assertThat(failure(() -> store.runs().updateRun(id, RunStatus.FINISHED, 1L, null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        store.runs().restoreRun(id);
        store.runs().logMetric(id, new Metric("m", 1, 1, 0));
        assertThat(store.runs().getRun(id).data().metrics()).hasSize(1);
    }

    @Test
    @DisplayName("logInputs records datasets once per (experiment, name, digest) with their input tags")
    void logInputs() {
        String exp = experiment("inputs");
        String a = run(exp).info().runId();
        String b = run(exp).info().runId();
        Dataset train = new Dataset("train", "d1", "local", "{\"uri\":\"/data/train.csv\"}", "{\"columns\":[]}", null);
        DatasetInput input = new DatasetInput(train, List.of(new Tag(SystemTags.DATASET_CONTEXT, "training")));
        store.runs().logInputs(a, List.of(input));
        store.runs().logInputs(a, List.of(input));
        store.runs().logInputs(b, List.of(input, new DatasetInput(new Dataset("eval", "d2", "local", "{}", null, null), List.of())));
        assertThat(store.runs().getRun(a).inputs()).containsExactly(input);
        assertThat(store.runs().getRun(b).inputs()).hasSize(2);
        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM datasets")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(search(exp, "datasets.name = 'eval'")).containsExactly(store.runs().getRun(b).info().runName());
        assertThat(search(exp, "dataset.context = 'training'")).hasSize(2);
    }

}

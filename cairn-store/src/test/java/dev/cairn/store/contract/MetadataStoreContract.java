package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
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
import dev.cairn.store.Stores;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do, run against each database (SQLite, PostgreSQL). A
 * subclass says how to make a new empty store URI and how to reach its database directly; reuse
 * it from other modules through cairn-store's test-jar.
 */
public abstract class MetadataStoreContract {

    protected static final String ARTIFACT_ROOT = "file:/tmp/cairn-contract-artifacts";

    protected MetadataStore store;
    protected String storeUri;

    /** A URI of a new, empty store (a fresh file or database) for one test. */
    protected abstract String newStoreUri();

    /** A plain JDBC connection to the database behind {@code storeUri}, bypassing the store. */
    protected abstract Connection rawConnection(String storeUri) throws SQLException;

    @BeforeEach
    void openStore() {
        storeUri = newStoreUri();
        store = Stores.openMetadata(storeUri, ARTIFACT_ROOT);
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    // ---------------------------------------------------------------- helpers

    protected String experiment(String name) {
        return store.experiments().createExperiment(name, null, List.of());
    }

    protected Run run(String experimentId) {
        return store.runs().createRun(experimentId, "alice", System.currentTimeMillis(), null, List.of());
    }

    protected Run run(String experimentId, String name, long startTime) {
        return store.runs().createRun(experimentId, "alice", startTime, name, List.of());
    }

    protected static CairnException failure(Runnable action) {
        CairnException e = catchThrowableOfType(CairnException.class, action::run);
        assertThat(e).as("expected a CairnException").isNotNull();
        return e;
    }

    private List<String> runNames(Page<Run> page) {
        return page.items().stream().map(r -> r.info().runName()).toList();
    }

    private List<String> search(String experimentId, String filter, String... orderBy) {
        return runNames(store.runs().searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, List.of(orderBy), 1000, null));
    }

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
    @DisplayName("metric history is kept whole; the latest point is chosen by step, then timestamp, then value")
    void metricHistoryAndLatest() {
        String id = run(experiment("metrics")).info().runId();
        store.runs().logBatch(id, List.of(new Metric("loss", 0.5, 100, 2), new Metric("loss", 0.9, 200, 1)), List.of(), List.of());
        store.runs().logMetric(id, new Metric("loss", 0.7, 50, 2));
        store.runs().logMetric(id, new Metric("loss", 0.4, 100, 2));
        store.runs().logMetric(id, new Metric("loss", 0.3, 10, 0));
        assertThat(store.runs().getMetricHistory(id, "loss")).containsExactly(
                new Metric("loss", 0.3, 10, 0), new Metric("loss", 0.9, 200, 1), new Metric("loss", 0.7, 50, 2),
                new Metric("loss", 0.4, 100, 2), new Metric("loss", 0.5, 100, 2));
        assertThat(store.runs().getRun(id).data().metrics()).containsExactly(new Metric("loss", 0.5, 100, 2));
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

    // ---------------------------------------------------------------- search

    /** Five runs with metrics, params and tags to search among; returns the experiment id. */
    private String searchFixture() {
        String exp = experiment("search");
        String[] names = {"r1", "r2", "r3", "r4", "r5"};
        double[] auc = {0.70, 0.80, 0.85, 0.90, 0.95};
        String[] depth = {"3", "6", "6", "9", "12"};
        String[] team = {"risk", "growth", "Risk-EU", "risk", "ops"};
        for (int i = 0; i < names.length; i++) {
            String id = run(exp, names[i], 1000L + i).info().runId();
            List<Metric> metrics = new ArrayList<>(List.of(new Metric("auc", auc[i], 1, 0)));
            if (i != 2) metrics.add(new Metric("loss", 1 - auc[i], 1, 0));
            store.runs().logBatch(id, metrics, List.of(new Param("max_depth", depth[i]), new Param("model", i % 2 == 0 ? "xgb" : "linear")),
                    List.of(new Tag("team", team[i])));
            if (i == 4) store.runs().updateRun(id, RunStatus.FINISHED, 2000L, null);
        }
        return exp;
    }

    @Test
    @DisplayName("searchRuns compares metrics, params, tags and attributes as MLflow does")
    void searchComparisons() {
        String exp = searchFixture();
        assertThat(search(exp, "metrics.auc > 0.8")).containsExactly("r5", "r4", "r3");
        assertThat(search(exp, "metric.auc >= 0.8 and metrics.auc <= 0.85")).containsExactly("r3", "r2");
        assertThat(search(exp, "metrics.auc != 0.7")).hasSize(4);
        assertThat(search(exp, "params.max_depth = '6'")).containsExactly("r3", "r2");
        assertThat(search(exp, "param.max_depth != '6'")).containsExactly("r5", "r4", "r1");
        assertThat(search(exp, "tags.team LIKE 'risk%'")).containsExactly("r4", "r1");
        assertThat(search(exp, "tags.team ILIKE 'risk%'")).containsExactly("r4", "r3", "r1");
        assertThat(search(exp, "tag.team IN ('ops', 'growth')")).containsExactly("r5", "r2");
        assertThat(search(exp, "tags.team NOT IN ('ops', 'growth')")).containsExactly("r4", "r3", "r1");
        assertThat(search(exp, "attributes.status = 'FINISHED'")).containsExactly("r5");
        assertThat(search(exp, "status != 'FINISHED' and attribute.run_name IN ('r1', 'r2')")).containsExactly("r2", "r1");
        assertThat(search(exp, "attributes.start_time >= 1003")).containsExactly("r5", "r4");
        assertThat(search(exp, "created < 1001")).containsExactly("r1");
        assertThat(search(exp, "run_name LIKE 'r%' and end_time > 0")).containsExactly("r5");
        assertThat(search(exp, "`metrics`.`auc` > 0.9")).containsExactly("r5");
        assertThat(search(exp, "metrics.\"auc\" > 0.9")).containsExactly("r5");
        assertThat(search(exp, "params.model = \"xgb\"")).containsExactly("r5", "r3", "r1");
        String r1 = store.runs().searchRuns(List.of(exp), "run_name = 'r1'", ViewType.ALL, List.of(), 10, null).items().get(0).info().runId();
        assertThat(search(exp, "attributes.run_id = '" + r1 + "'")).containsExactly("r1");
        assertThat(search(exp, "attributes.run_id IN ('" + r1 + "')")).containsExactly("r1");
    }

    @Test
    @DisplayName("OR and parentheses combine conditions, AND binding tighter than OR")
    void searchOrAndParentheses() {
        String exp = searchFixture();
        assertThat(search(exp, "metrics.auc > 0.9 or params.max_depth = '3'")).containsExactly("r5", "r1");
        assertThat(search(exp, "params.max_depth = '3' or params.max_depth = '6' and tags.team = 'growth'")).containsExactly("r2", "r1");
        assertThat(search(exp, "(params.max_depth = '3' or params.max_depth = '6') and tags.team = 'growth'")).containsExactly("r2");
        assertThat(search(exp, "((metrics.loss < 0.07) or (tags.team = 'Risk-EU' and metrics.auc > 0.8))")).containsExactly("r5", "r3");
    }

    @Test
    @DisplayName("searchRuns orders by metrics, params and attributes (missing values last) and pages with a token")
    void searchOrderAndPaging() {
        String exp = searchFixture();
        assertThat(search(exp, null)).as("MLflow's default: start_time DESC").containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.auc DESC")).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.auc")).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(search(exp, null, "metrics.loss ASC")).as("r3 has no loss").containsExactly("r5", "r4", "r2", "r1", "r3");
        assertThat(search(exp, null, "metrics.loss DESC")).containsExactly("r1", "r2", "r4", "r5", "r3");
        assertThat(search(exp, null, "params.model", "attributes.start_time ASC")).containsExactly("r2", "r4", "r1", "r3", "r5");
        assertThat(search(exp, null, "attributes.run_name DESC")).containsExactly("r5", "r4", "r3", "r2", "r1");

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
        for (int size = 1; size <= 4; size++) {
            List<String> paged = new ArrayList<>();
            String next = null;
            do {
                Page<Run> page = store.runs().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("metrics.loss"), size, next);
                paged.addAll(runNames(page));
                next = page.nextPageToken();
            } while (next != null);
            assertThat(paged).as("pages of %d ordered by a metric one run lacks", size).containsExactly("r5", "r4", "r2", "r1", "r3");
        }
        assertThat(failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 10, "not-a-token")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 50001, null)).getMessage())
                .contains("50000");
    }

    @Test
    @DisplayName("searchRuns sees deleted runs only in the views that include them, across experiments")
    void searchViewsAndExperiments() {
        String exp = searchFixture();
        String other = experiment("other");
        run(other, "o1", 5000L);
        String r1 = store.runs().searchRuns(List.of(exp), "run_name = 'r1'", ViewType.ALL, List.of(), 10, null).items().get(0).info().runId();
        store.runs().deleteRun(r1);
        assertThat(search(exp, null)).doesNotContain("r1");
        assertThat(runNames(store.runs().searchRuns(List.of(exp), null, ViewType.DELETED_ONLY, List.of(), 10, null))).containsExactly("r1");
        assertThat(runNames(store.runs().searchRuns(List.of(exp, other), null, ViewType.ALL, List.of(), 10, null)))
                .containsExactly("o1", "r5", "r4", "r3", "r2", "r1");
    }

    @Test
    @DisplayName("a malformed filter is INVALID_PARAMETER_VALUE naming the token and its position")
    void searchParseErrors() {
        String exp = experiment("errors");
        CairnException e = failure(() -> search(exp, "metrics.auc > 0.8 and params.x"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("position 30").contains("end of input");
        CairnException unbalanced = failure(() -> search(exp, "(metrics.auc > 0.8"));
        assertThat(unbalanced.getMessage()).contains("')'");
        assertThat(failure(() -> search(exp, "metrics.auc > 'high'")).getMessage()).contains("numeric").contains("position 0");
        assertThat(failure(() -> search(exp, "params.x > '1'")).getMessage()).contains("'>'");
        assertThat(failure(() -> search(exp, "foo.x = '1'")).getMessage()).contains("foo");
        assertThat(failure(() -> search(exp, "attributes.nope = '1'")).getMessage()).contains("nope");
        assertThat(failure(() -> search(exp, "params.x = 'unclosed")).getMessage()).contains("position 11");
        assertThat(failure(() -> search(exp, null, "metrics.auc SIDEWAYS")).getMessage()).contains("SIDEWAYS");
        assertThat(failure(() -> search(exp, "params.x = '1'; DROP TABLE runs")).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("values reach SQL only as parameters: quotes and SQL in values are matched literally")
    void searchValuesAreParameters() {
        String exp = experiment("injection");
        String id = run(exp, "quoted", 1L).info().runId();
        store.runs().setTag(id, new Tag("note", "it's ' OR '1'='1"));
        assertThat(search(exp, "tags.note = 'it''s '' OR ''1''=''1'")).containsExactly("quoted");
        assertThat(search(exp, "tags.note = 'it''s'")).isEmpty();
        assertThat(failure(() -> search(exp, "tags.note = '' OR '1'='1'")).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

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
        assertThat(store.registry().createModelVersion("credit", "s", null, null, List.of(), "alice").version())
                .as("version numbers are never given out twice").isEqualTo(4);
        assertThat(failure(() -> store.registry().createModelVersion("missing", "s", null, null, List.of(), "a")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("stage transitions archive existing versions on request, and latest versions are per stage")
    void stageTransitions() {
        store.registry().createRegisteredModel("staged", null, List.of(), "alice");
        for (int i = 0; i < 3; i++) store.registry().createModelVersion("staged", "s" + i, null, null, List.of(), "alice");
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
        store.registry().createModelVersion("aliased", "s1", null, null, List.of(), "alice");
        store.registry().createModelVersion("aliased", "s2", null, null, List.of(), "alice");
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
    @DisplayName("deleting a version or a model an alias points at is refused with INVALID_STATE naming the alias")
    void aliasBlocksDeletion() {
        store.registry().createRegisteredModel("guarded", null, List.of(), "alice");
        store.registry().createModelVersion("guarded", "s1", null, null, List.of(), "alice");
        store.registry().setAlias("guarded", "champion", 1, "alice", null);
        CairnException version = failure(() -> store.registry().deleteModelVersion("guarded", 1, "bob"));
        assertThat(version.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(version.getMessage()).contains("champion");
        CairnException model = failure(() -> store.registry().deleteRegisteredModel("guarded", "bob"));
        assertThat(model.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(model.getMessage()).contains("champion");
        assertThat(store.registry().getModelVersion("guarded", 1).version()).isEqualTo(1);
        assertThat(store.registry().listAuditEvents("guarded", 10, null).items()).extracting(AuditEvent::action)
                .doesNotContain(AuditAction.VERSION_DELETED, AuditAction.MODEL_DELETED);

        store.registry().deleteAlias("guarded", "champion", "bob", null);
        store.registry().deleteRegisteredModel("guarded", "bob");
        assertThat(failure(() -> store.registry().getRegisteredModel("guarded")).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.registry().listAuditEvents("guarded", 10, null).items().get(0).action()).isEqualTo(AuditAction.MODEL_DELETED);
    }

    @Test
    @DisplayName("renaming a model carries its versions, tags and aliases along")
    void renameModel() {
        store.registry().createRegisteredModel("old-name", null, List.of(new Tag("t", "1")), "alice");
        store.registry().createModelVersion("old-name", "s1", null, null, List.of(new Tag("vt", "1")), "alice");
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
        store.registry().createModelVersion("audited", "s1", null, null, List.of(), "alice");
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
            futures.add(pool.submit(() -> store.registry().createModelVersion("busy", "s", null, null, List.of(), "alice").version()));
        }
        Set<Long> versions = new HashSet<>();
        for (Future<Long> future : futures) versions.add(future.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(versions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) i).toList());
    }
}

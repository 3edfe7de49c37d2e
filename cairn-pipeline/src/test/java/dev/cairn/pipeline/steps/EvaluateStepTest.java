package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import dev.cairn.train.Training;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private static String snapshot;
    private static String candidate;
    private static String baselineRun;

    @BeforeAll
    static void open() throws Exception {
        fixture = new StepFixture(dir);
        // 400 customers: a model worth evaluating, scored in a moment.
        snapshot = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", fixture.creditSample("credit-400.csv", 400).toString())).context()).outputs().get("table");
        candidate = train("xgboost", Map.of("num_boost_round", 10, "max_depth", 3));
        baselineRun = (String) new TrainStep().run(fixture.attempt(StepType.TRAIN, "baseline", Map.of("data", snapshot,
                "label", "class", "drop", List.of("customer_id"), "algorithm", "baseline")).context()).outputs().get("run_id");
    }

    private static String train(String algorithm, Map<String, Object> params) throws Exception {
        return (String) new TrainStep().run(fixture.attempt(StepType.TRAIN, "train", Map.of("data", snapshot, "label", "class",
                "drop", List.of("customer_id"), "algorithm", algorithm, "params", params)).context()).outputs().get("model");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void withoutAChampionTheCandidateIsJudgedOnItsThresholds() throws Exception {
        Map<String, Object> with = Map.of("model", candidate, "data", snapshot, "label", "class", "positive_class", "bad",
                "business_metric", "precision", "threshold_target", "recall@precision>=0.5", "registered_model", "credit-risk-a",
                "thresholds", List.of("roc_auc>=0.6", "change:precision>=-0.01"));
        Attempt a = fixture.attempt(StepType.EVALUATE, "evaluate", with);
        EvaluateStep evaluate = new EvaluateStep();
        assertThat(evaluate.cacheKeyParts(a.context())).containsExactly("none");
        StepResult result = evaluate.run(a.context());

        assertDeclaredOutputs(StepType.EVALUATE, result);
        String runId = (String) result.outputs().get("run_id");
        assertThat(result.outputs()).containsEntry("blessed", true).containsEntry("has_champion", false).containsEntry("champion", "")
                .containsEntry("report", "runs:/" + runId + "/evaluation/report.html");
        assertThat((Double) result.outputs().get("metric")).isBetween(0.5, 1.0);
        assertThat((Double) result.outputs().get("threshold")).isBetween(0.0, 1.0);
        assertThat(fixture.tags(runId)).containsEntry(StepRuns.TAG_PIPELINE_RUN, StepFixture.RUN_ID)
                .containsEntry(StepRuns.TAG_STEP, "evaluate").containsEntry(SystemTags.PARENT_RUN_ID, a.stepRunId())
                .containsEntry("cairn.evaluation.blessed", "true");
        assertThat(fixture.artifact("runs:/" + runId + "/evaluation/verdict.json")).contains("\"blessed\" : true");
        assertThat(a.sink().edges()).containsExactlyInAnyOrder(
                new Edge(INPUT, "snapshot", snapshot, snapshot.substring("snapshot:".length())),
                new Edge(INPUT, "model", candidate, null),
                new Edge(OUTPUT, "run", "runs:/" + runId, null),
                new Edge(OUTPUT, "report", "runs:/" + runId + "/evaluation/report.html", null),
                new Edge(OUTPUT, "model", "runs:/" + runId + "/model", null));
    }

    @Test
    void theChampionIsComparedWithAndItsVersionIsPartOfTheCacheKey() throws Exception {
        Map<String, Object> with = Map.of("model", candidate, "data", snapshot, "label", "class", "positive_class", "bad",
                "registered_model", "credit-risk-b", "against", "champion");
        EvaluateStep evaluate = new EvaluateStep();
        assertThat(evaluate.cacheKeyParts(fixture.attempt(StepType.EVALUATE, "evaluate", with).context())).containsExactly("none");
        Training.register(fixture.tracking, baselineRun, "credit-risk-b", "champion");
        assertThat(evaluate.cacheKeyParts(fixture.attempt(StepType.EVALUATE, "evaluate", with).context())).containsExactly("1");

        Attempt a = fixture.attempt(StepType.EVALUATE, "evaluate", with);
        StepResult result = evaluate.run(a.context());
        assertDeclaredOutputs(StepType.EVALUATE, result);
        // No declared threshold: the default comparison, not worse than the champion (the majority-class baseline).
        assertThat(result.outputs()).containsEntry("blessed", true).containsEntry("has_champion", true)
                .containsEntry("champion", "models:/credit-risk-b/1");
        assertThat(a.sink().inputs()).contains(new Edge(INPUT, "model_version", "models:/credit-risk-b/1", null));

        Training.register(fixture.tracking, baselineRun, "credit-risk-b", "champion");
        assertThat(evaluate.cacheKeyParts(fixture.attempt(StepType.EVALUATE, "evaluate", with).context())).containsExactly("2");
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertThatThrownBy(() -> new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate",
                Map.of("model", candidate, "data", snapshot, "label", "klass")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.evaluate.with.label");
        assertThatThrownBy(() -> new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate",
                Map.of("model", candidate, "data", snapshot, "label", "class", "thresholds", List.of("roc_auc>>0.7"))).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.evaluate.with.thresholds");
        assertThatThrownBy(() -> new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate",
                Map.of("model", "runs:/0123456789abcdef0123456789abcdef/model", "data", snapshot, "label", "class")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.evaluate.with.model");
        assertThatThrownBy(() -> new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate",
                Map.of("model", candidate, "data", snapshot, "label", "class", "business_metric", "happiness")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.evaluate.with.business_metric");
    }
}

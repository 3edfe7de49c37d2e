package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainAndTuneStepTest {
    /** Two values of one parameter, two folds, few rounds: a search that takes a moment. */
    static final String SPACE = """
            algorithm: xgboost
            strategy: grid
            metric: roc_auc
            folds: 2
            parallelism: 2
            seed: 7
            fixed: {num_boost_round: 15}
            params:
              max_depth: [2, 3]
            """;

    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private static String snapshot;

    @BeforeAll
    static void open() throws Exception {
        fixture = new StepFixture(dir);
        snapshot = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", StepFixture.CREDIT.toString())).context()).outputs().get("table");
        Files.writeString(fixture.workspaceDir.resolve("space.yaml"), SPACE);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void trainingIsAChildRunOfTheStepTaggedWithThePipelineRun() throws Exception {
        Attempt a = fixture.attempt(StepType.TRAIN, "train", Map.of("data", snapshot, "label", "class",
                "drop", List.of("customer_id"), "positive_class", "bad", "params", Map.of("num_boost_round", 10, "max_depth", 3),
                "seed", 11, "experiment", "credit-risk", "schema", StepFixture.SCHEMA.toString()));
        StepResult result = new TrainStep().run(a.context());

        assertDeclaredOutputs(StepType.TRAIN, result);
        String runId = (String) result.outputs().get("run_id");
        assertThat(result.outputs()).containsEntry("model", "runs:/" + runId + "/model");
        Run run = fixture.tracking.runs().getRun(runId);
        assertThat(fixture.tags(runId)).containsEntry(StepRuns.TAG_PIPELINE_RUN, StepFixture.RUN_ID)
                .containsEntry(StepRuns.TAG_STEP, "train").containsEntry(SystemTags.PARENT_RUN_ID, a.stepRunId())
                .containsEntry(StepRuns.TAG_DATA, snapshot).containsEntry(SystemTags.USER, StepFixture.USER);
        assertThat(run.info().runName()).isEqualTo("nightly.train");
        assertThat(run.data().params()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("seed");
            assertThat(p.value()).isEqualTo("11");
        });
        String sha = fixture.tags(runId).get("cairn.model.sha256");
        assertThat(a.sink().edges()).containsExactlyInAnyOrder(
                new Edge(INPUT, "file", StepFixture.SCHEMA.toUri().toString(), Sha256.of(StepFixture.SCHEMA, "schema")),
                new Edge(INPUT, "snapshot", snapshot, snapshot.substring("snapshot:".length())),
                new Edge(OUTPUT, "run", "runs:/" + runId, null),
                new Edge(OUTPUT, "model", "runs:/" + runId + "/model", sha));
        assertThat(a.sink().log()).contains("Run " + runId + " finished");
    }

    @Test
    void trainingErrorsNameTheField() throws Exception {
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train",
                Map.of("data", snapshot, "label", "klass")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "steps.train.with.label"))
                .hasMessageContaining("'steps.train.with.label'");
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train",
                Map.of("data", snapshot, "label", "class", "params", Map.of("max_dpth", 3))).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.train.with.params");
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train",
                Map.of("data", snapshot, "label", "class", "split", "time")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.train.with.time_column");
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train",
                Map.of("data", snapshot, "label", "class", "seed", 1, "params", Map.of("seed", 2))).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.train.with.seed");
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train",
                Map.of("data", snapshot, "label", "class", "algorithm", "forest")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.train.with.algorithm");
        // A refused training leaves no run behind (the store's Default experiment is where they would be).
        assertThat(fixture.tracking.runs().searchRuns(List.of(fixture.tracking.experimentId("Default")), null, ViewType.ACTIVE_ONLY,
                List.of(), 10, null).items()).isEmpty();
    }

    @Test
    void tuningIsAChildRunOfTheStepWithItsTrialsUnderIt() throws Exception {
        Attempt a = fixture.attempt(StepType.TUNE, "tune", Map.of("data", snapshot, "label", "class", "space", "space.yaml",
                "drop", List.of("customer_id"), "positive_class", "bad", "experiment", "tuning", "seed", 3));
        StepResult result = new TuneStep().run(a.context());

        assertDeclaredOutputs(StepType.TUNE, result);
        String runId = (String) result.outputs().get("run_id");
        assertThat(result.outputs()).containsEntry("model", "runs:/" + runId + "/model");
        assertThat((Double) result.outputs().get("best_score")).isBetween(0.5, 1.0);
        assertThat(fixture.tags(runId)).containsEntry(StepRuns.TAG_PIPELINE_RUN, StepFixture.RUN_ID)
                .containsEntry(StepRuns.TAG_STEP, "tune").containsEntry(SystemTags.PARENT_RUN_ID, a.stepRunId());
        assertThat(fixture.tracking.runs().getRun(runId).data().params())
                .anySatisfy(p -> assertThat(p.key() + "=" + p.value()).isEqualTo("tuning.seed=3"));
        List<Run> trials = fixture.tracking.runs().searchRuns(List.of(fixture.tracking.experimentId("tuning")),
                "tags.`" + SystemTags.PARENT_RUN_ID + "` = '" + runId + "'", ViewType.ACTIVE_ONLY, List.of(), 100, null).items();
        assertThat(trials).hasSize(2);
        Path space = fixture.workspaceDir.resolve("space.yaml");
        assertThat(a.sink().inputs()).contains(new Edge(INPUT, "file", space.toUri().toString(), Sha256.of(space, "space")));
        assertThat(a.sink().outputs()).contains(new Edge(OUTPUT, "run", "runs:/" + runId, null));
    }

    @Test
    void tuningErrorsNameTheField() throws Exception {
        Files.writeString(fixture.workspaceDir.resolve("bad-space.yaml"), SPACE + "colour: blue\n");
        assertThatThrownBy(() -> new TuneStep().run(fixture.attempt(StepType.TUNE, "tune",
                Map.of("data", snapshot, "label", "class", "space", "bad-space.yaml")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tune.with.space");
        assertThatThrownBy(() -> new TuneStep().run(fixture.attempt(StepType.TUNE, "tune",
                Map.of("data", snapshot, "label", "class", "space", "space.yaml", "test_fraction", 1.5)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tune.with.test_fraction");
        assertThatThrownBy(() -> new TuneStep().run(fixture.attempt(StepType.TUNE, "tune",
                Map.of("data", snapshot, "label", "class", "space", "space.yaml", "parallelism", 0)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tune.with.parallelism");
        assertThatThrownBy(() -> new TuneStep().run(fixture.attempt(StepType.TUNE, "tune",
                Map.of("data", snapshot, "label", "class", "space", "space.yaml", "seed", -1)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tune.with.seed");
    }
}

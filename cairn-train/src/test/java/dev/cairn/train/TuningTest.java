package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.train.tracking.Tracking;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import dev.cairn.train.tune.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningTest {
    @TempDir
    Path dir;
    MetadataStore store;
    Tracking tracking;

    @BeforeEach
    void open() {
        store = TestStores.open(dir);
        tracking = TestStores.tracking(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TuneSpec spec(String yaml) {
        return TuneSpec.of(TestStores.CREDIT, "class", SearchSpace.parse(yaml, "test"))
                .withDrop(List.of("customer_id")).withExperiment("tuning");
    }

    @Test
    @DisplayName("a grid search runs every point as a child run in parallel, picks the best by CV and packages it in the parent")
    void gridSearch() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TuneResult result = Training.tune(spec("""
                algorithm: xgboost
                strategy: grid
                metric: roc_auc
                folds: 3
                parallelism: 2
                fixed: {num_boost_round: 40, early_stopping_rounds: 5}
                params:
                  max_depth: [2, 4]
                  eta: [0.1, 0.3]
                """), tracking, new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), "roc_auc"));

        assertThat(result.trials()).hasSize(4).noneMatch(TrialResult::failed);
        double bestScore = result.trials().stream().mapToDouble(TrialResult::score).max().orElseThrow();
        assertThat(result.best().score()).isEqualTo(bestScore);
        for (TrialResult trial : result.trials()) {
            Run child = store.runs().getRun(trial.runId());
            assertThat(child.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(TestStores.tags(child)).containsEntry(SystemTags.PARENT_RUN_ID, result.parentRunId());
            assertThat(TestStores.params(child)).containsKeys("max_depth", "eta", "subsample", "seed");
            assertThat(store.runs().getMetricHistory(trial.runId(), "cv_roc_auc_fold")).hasSize(3);
        }
        Run parent = store.runs().getRun(result.parentRunId());
        assertThat(parent.info().status()).isEqualTo(RunStatus.FINISHED);
        Map<String, String> params = TestStores.params(parent);
        assertThat(params).containsEntry("tuning.strategy", "grid").containsEntry("tuning.metric", "roc_auc")
                .containsEntry("max_depth", String.valueOf(result.best().params().get("max_depth")))
                .containsEntry("early_stopping_rounds", "0")
                .containsEntry("num_boost_round", String.valueOf(Math.max(1, result.best().meanRounds())));
        assertThat(store.runs().getMetricHistory(result.parentRunId(), "best_cv_roc_auc")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(bestScore));
        assertThat(store.runArtifacts(parent.info()).exists("model/model.ubj")).isTrue();
        assertThat(result.model().metrics()).containsKey("roc_auc");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("4/4 trials").contains("best roc_auc");
    }

    @Test
    @DisplayName("the tuned run registers as a model version with the champion alias")
    void registerChampion() {
        TuneResult result = Training.tune(spec("""
                algorithm: logistic_regression
                strategy: grid
                folds: 3
                parallelism: 1
                params:
                  lambda: [0.001, 0.1]
                """), tracking, ProgressBar.silent());
        ModelVersion version = Training.register(tracking, result.parentRunId(), "credit-risk", "champion");
        assertThat(version.version()).isEqualTo(1);
        assertThat(version.source()).isEqualTo("runs:/" + result.parentRunId() + "/model");
        assertThat(store.registry().getModelVersionByAlias("credit-risk", "champion").version()).isEqualTo(1);
        assertThat(Training.register(tracking, result.parentRunId(), "credit-risk", "champion").version()).isEqualTo(2);
    }

    @Test
    @DisplayName("random search samples the given number of trials from ranges, by precision at a fixed recall")
    void randomSearch() {
        TuneResult result = Training.tune(spec("""
                algorithm: xgboost
                strategy: random
                metric: precision_at_recall:0.8
                trials: 3
                folds: 2
                parallelism: 2
                fixed: {num_boost_round: 15}
                params:
                  eta: {min: 0.05, max: 0.5, log: true}
                  max_depth: {min: 2, max: 5}
                """), tracking, ProgressBar.silent());
        assertThat(result.metricKey()).isEqualTo("precision_at_recall_0.8");
        assertThat(result.trials()).hasSize(3).allSatisfy(t -> {
            assertThat((Double) t.params().get("eta")).isBetween(0.05, 0.5);
            assertThat((Long) t.params().get("max_depth")).isBetween(2L, 5L);
        });
        assertThat(result.best().score()).isBetween(0.3, 1.0);
    }

    @Test
    @DisplayName("successive halving gives the survivors of each rung a larger rounds budget")
    void successiveHalving() {
        TuneResult result = Training.tune(spec("""
                algorithm: xgboost
                strategy: halving
                trials: 4
                folds: 2
                parallelism: 2
                fixed: {num_boost_round: 40, early_stopping_rounds: 0}
                params:
                  max_depth: [2, 3, 4, 6]
                halving: {min_rounds: 10, factor: 2}
                """), tracking, ProgressBar.silent());
        // 4 candidates at 10 rounds, 2 at 20, 1 at 40.
        assertThat(result.trials()).extracting(TrialResult::rung).containsExactly(0, 0, 0, 0, 1, 1, 2);
        assertThat(result.trials()).filteredOn(t -> t.rung() == 2).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("num_boost_round", 40));
        assertThat(result.best().rung()).isEqualTo(2);
        assertThat(result.finalParams()).containsEntry("num_boost_round", 40L);
    }

    @Test
    @DisplayName("a search space naming an unknown parameter, or a task it cannot do, is refused before the experiment or any run exists")
    void badSpace() {
        assertThatThrownBy(() -> SearchSpace.parse("params: {max_dept: [2, 3]}", "test"))
                .isInstanceOf(CairnException.class).hasMessageContaining("max_dept");
        assertThatThrownBy(() -> Training.tune(spec("params: {max_depth: [2]}").withTask("regression", null), tracking, ProgressBar.silent()))
                .isInstanceOf(CairnException.class);
        assertThat(TestStores.nothingRecorded(store, "tuning")).as("refused before the parent run").isTrue();
    }
}

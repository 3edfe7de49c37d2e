package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.data.Labels;
import dev.cairn.train.fit.CrossValidator;
import dev.cairn.train.metrics.SelectionMetric;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model quality on the German credit data (1000 rows, label {@code class}), with fixed seeds. */
class QualityTest {

    @Test
    @DisplayName("a tuned XGBoost reaches a stratified 5-fold cross-validated ROC AUC of at least 0.77")
    void tunedXgboost(@TempDir Path dir) {
        try (MetadataStore store = TestStores.open(dir)) {
            TuneResult result = Training.tune(TuneSpec.of(TestStores.CREDIT, "class", SearchSpace.parse("""
                    algorithm: xgboost
                    strategy: grid
                    metric: roc_auc
                    folds: 5
                    parallelism: 2
                    seed: 42
                    fixed: {num_boost_round: 300, early_stopping_rounds: 30, subsample: 0.8, colsample_bytree: 0.8, eta: 0.05}
                    params:
                      max_depth: [2, 3]
                    """, "quality")).withDrop(List.of("customer_id")), TestStores.tracking(store), ProgressBar.silent());
            assertThat(result.best().score()).isGreaterThanOrEqualTo(0.77);
            assertThat(result.model().metrics().get("roc_auc")).isGreaterThan(0.7);
        }
    }

    @Test
    @DisplayName("logistic regression reaches a stratified 5-fold cross-validated ROC AUC of at least 0.75")
    void logisticRegression() {
        Frame data = FrameReader.read(TestStores.CREDIT);
        Labels labels = Labels.of(data, "class", null, null);
        Frame features = data.drop(List.of("class", "customer_id"));
        CrossValidator.Result cv = CrossValidator.evaluate(Algorithm.LOGISTIC_REGRESSION,
                Algorithm.LOGISTIC_REGRESSION.resolve(Map.of()), features, labels,
                CrossValidator.folds(labels, 5, 42), SelectionMetric.parse("roc_auc"));
        assertThat(cv.foldScores()).hasSize(5);
        assertThat(cv.mean()).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    @DisplayName("the default logistic regression penalty (lambda 0.03) beats the former barely-regularised 0.001 in cross-validated ROC AUC, "
            + "on all of credit-g and on its first 250 rows")
    void defaultPenaltyBeatsTheFormerOne() {
        assertThat(Algorithm.LOGISTIC_REGRESSION.resolve(Map.of())).containsEntry("lambda", 0.03);
        assertThat(Algorithm.LOGISTIC_REGRESSION.resolve(Map.of()).get("lambda")).isEqualTo(Algorithm.LOGISTIC_LAMBDA);
        Frame data = FrameReader.read(TestStores.CREDIT);
        Labels labels = Labels.of(data, "class", null, null);
        Frame features = data.drop(List.of("class", "customer_id"));
        int[] first250 = java.util.stream.IntStream.range(0, 250).toArray();
        for (boolean small : new boolean[] {false, true}) {
            Frame x = small ? features.select(first250) : features;
            Labels y = small ? labels.select(first250) : labels;
            List<dev.cairn.train.split.Split> folds = CrossValidator.folds(y, 5, 42);
            double byDefault = CrossValidator.evaluate(Algorithm.LOGISTIC_REGRESSION, Algorithm.LOGISTIC_REGRESSION.resolve(Map.of()), x, y,
                    folds, SelectionMetric.parse("roc_auc")).mean();
            double former = CrossValidator.evaluate(Algorithm.LOGISTIC_REGRESSION, Algorithm.LOGISTIC_REGRESSION.resolve(Map.of("lambda", "0.001")),
                    x, y, folds, SelectionMetric.parse("roc_auc")).mean();
            // Measured: 0.7918 vs 0.7882 on 1,000 rows, 0.7706 vs 0.7413 on 250 (deterministic: seeded folds, one thread).
            assertThat(byDefault).as(small ? "250 rows" : "1000 rows").isGreaterThan(former);
        }
    }
}

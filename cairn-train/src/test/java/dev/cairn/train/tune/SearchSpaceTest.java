package dev.cairn.train.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.algorithm.Algorithm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    @DisplayName("the credit-risk example space reads as a 12-point XGBoost grid scored by ROC AUC")
    void exampleSpace() {
        SearchSpace space = SearchSpace.read(Path.of("../examples/credit-risk/space.yaml"));
        assertThat(space.algorithm()).isEqualTo(Algorithm.XGBOOST);
        assertThat(space.metric().key()).isEqualTo("roc_auc");
        assertThat(space.fixed()).containsEntry("num_boost_round", 300L);
        List<Map<String, Object>> grid = Candidates.of(space);
        assertThat(grid).hasSize(12);
        assertThat(grid.getFirst()).containsExactly(Map.entry("max_depth", 2L), Map.entry("eta", 0.05), Map.entry("min_child_weight", 1.0));
    }

    @Test
    @DisplayName("values out of a parameter's range are refused naming the parameter and the range")
    void valueOutOfRange() {
        assertThatThrownBy(() -> SearchSpace.parse("params: {eta: [0.1, 2.0]}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("'eta'").hasMessageContaining("(0, 1]");
    }

    @Test
    @DisplayName("an unknown parameter, searched or fixed, is refused listing the algorithm's valid parameter names")
    void unknownParameterListsTheValidOnes() {
        assertThatThrownBy(() -> SearchSpace.parse("params: {max_dept: [2, 3]}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("max_dept")
                .hasMessageContaining("alpha, class_weight, colsample_bytree, early_stopping_rounds, eta, gamma, lambda, max_bin, max_depth");
        assertThatThrownBy(() -> SearchSpace.parse("algorithm: logistic_regression\nfixed: {max_depth: 3}\nparams: {lambda: [0.1]}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("max_depth")
                .hasMessageContaining("one of alpha, class_weight, early_stopping_rounds, eta, lambda, num_boost_round, seed");
    }

    @Test
    @DisplayName("a grid cannot search a range, and a parameter cannot be both fixed and searched")
    void gridNeedsValues() {
        assertThatThrownBy(() -> SearchSpace.parse("params: {eta: {min: 0.1, max: 0.3}}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("grid");
        assertThatThrownBy(() -> SearchSpace.parse("fixed: {eta: 0.1}\nparams: {eta: [0.2]}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("fixed or searched");
        assertThatThrownBy(() -> SearchSpace.parse("strategy: bayes\nparams: {eta: [0.2]}", "t"))
                .isInstanceOf(CairnException.class).hasMessageContaining("grid, random, halving");
    }

    @Test
    @DisplayName("random candidates are the same for the same seed")
    void randomIsSeeded() {
        String yaml = "strategy: random\ntrials: 5\nparams: {eta: {min: 0.01, max: 0.3, log: true}, max_depth: {min: 2, max: 8}}";
        assertThat(Candidates.of(SearchSpace.parse(yaml, "t"))).hasSize(5).isEqualTo(Candidates.of(SearchSpace.parse(yaml, "t")));
        assertThat(Candidates.of(SearchSpace.parse(yaml + "\nseed: 1", "t"))).isNotEqualTo(Candidates.of(SearchSpace.parse(yaml, "t")));
    }
}

package dev.cairn.train.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlgorithmParametersTest {

    @Test
    @DisplayName("resolving expands every default and types the given values")
    void defaultsExpanded() {
        Map<String, Object> p = Algorithm.XGBOOST.resolve(Map.of("max_depth", "4", "eta", "0.1"));
        assertThat(p).containsEntry("max_depth", 4L).containsEntry("eta", 0.1)
                .containsEntry("num_boost_round", 100L).containsEntry("seed", 42L).containsEntry("class_weight", "none")
                .containsKeys("subsample", "colsample_bytree", "gamma", "lambda", "alpha", "min_child_weight", "tree_method");
    }

    @Test
    @DisplayName("an unknown parameter is refused naming it and the parameters there are")
    void unknownParameter() {
        assertThatThrownBy(() -> Algorithm.XGBOOST.resolve(Map.of("max_dept", "4")))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("max_dept").contains("max_depth");
                });
    }

    @Test
    @DisplayName("a value out of range is refused naming the parameter, the value and the allowed range")
    void outOfRange() {
        assertThatThrownBy(() -> Algorithm.XGBOOST.resolve(Map.of("eta", "1.5")))
                .isInstanceOf(CairnException.class).hasMessageContaining("'eta'").hasMessageContaining("1.5").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Algorithm.XGBOOST.resolve(Map.of("max_depth", "2.5")))
                .isInstanceOf(CairnException.class).hasMessageContaining("max_depth").hasMessageContaining("an integer in [1, 64]");
        assertThatThrownBy(() -> Algorithm.LOGISTIC_REGRESSION.resolve(Map.of("class_weight", "heavy")))
                .isInstanceOf(CairnException.class).hasMessageContaining("one of none, balanced");
    }

    @Test
    @DisplayName("an unknown algorithm is refused listing the known ones")
    void unknownAlgorithm() {
        assertThatThrownBy(() -> Algorithm.parse("random_forest"))
                .isInstanceOf(CairnException.class).hasMessageContaining("xgboost, logistic_regression, linear_regression, baseline");
    }
}

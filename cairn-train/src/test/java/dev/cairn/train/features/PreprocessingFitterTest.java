package dev.cairn.train.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.PreprocessingStep;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PreprocessingFitterTest {
    private final Frame train = new Frame(List.of(
            new Column.Numeric("age", FieldType.INTEGER, new double[] {20, 30, Double.NaN, 50}),
            new Column.Text("purpose", new String[] {"car", "tv", "car", null})));

    @Test
    @DisplayName("linear preprocessing imputes the median, standardises the imputed values and one-hot encodes text")
    void linearSteps() {
        PreprocessingFitter.Fitted fitted = PreprocessingFitter.fit(train, true);
        // age: median of 20, 30, 50 is 30; imputed values 20, 30, 30, 50 have mean 32.5 and std √118.75.
        assertThat(fitted.preprocessing().steps()).containsExactly(
                new PreprocessingStep.Impute("age", "median", 30.0),
                new PreprocessingStep.StandardScale("age", 32.5, Math.sqrt(118.75)),
                new PreprocessingStep.Impute("purpose", "most_frequent", "car"),
                new PreprocessingStep.OneHot("purpose", List.of("car", "tv"), dev.cairn.runtime.preprocess.UnseenPolicy.IGNORE));
        assertThat(fitted.preprocessing().features()).containsExactly("age", "purpose=car", "purpose=tv");
        assertThat(fitted.inputs()).allMatch(f -> f.nullable());
    }

    @Test
    @DisplayName("tree preprocessing leaves numbers (and their missing values) to XGBoost, and the runtime encoder applies the steps")
    void treeStepsThroughTheRuntimeEncoder() {
        PreprocessingFitter.Fitted fitted = PreprocessingFitter.fit(train, false);
        assertThat(fitted.preprocessing().steps()).noneMatch(s -> s.column().equals("age"));
        FeatureEncoder encoder = FeatureEncoder.of(fitted.inputs(), fitted.preprocessing()).lenient();
        assertThat(encoder.encode(Map.of("age", 40L, "purpose", "tv"))).containsExactly(40.0, 0.0, 1.0);
        double[] missing = encoder.encode(new java.util.HashMap<>(Map.of("purpose", "boat")));
        assertThat(missing[0]).isNaN();
        assertThat(missing[1]).isEqualTo(0.0);
        assertThat(missing[2]).isEqualTo(0.0);
    }

    @Test
    @DisplayName("balanced class weights make every class weigh the same in total")
    void balancedWeights() {
        float[] w = PreprocessingFitter.balancedWeights(new int[] {0, 0, 0, 1}, 2);
        assertThat((double) w[0]).isCloseTo(4.0 / 6, within(1e-6));
        assertThat((double) w[3]).isCloseTo(2.0, within(1e-6));
        assertThat(3 * w[0]).isCloseTo(w[3], within(1e-6f));
    }
}

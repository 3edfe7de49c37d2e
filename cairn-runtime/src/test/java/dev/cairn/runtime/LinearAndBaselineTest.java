package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearAndBaselineTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a linear binary model is the logistic of coefficients · features, labelled at its threshold")
    void linearBinary() {
        ModelManifest m = TestData.writeLinear(dir.resolve("m"), TestData.STEPS);
        List<Double> w = ((ModelBody.Linear) m.model()).coefficients().getFirst();
        FeatureEncoder enc = TestData.encoder();
        try (Model model = Models.load(dir.resolve("m"))) {
            for (Map<String, Object> row : TestData.rows(50, 3)) {
                double[] x = enc.encode(row);
                double z = -0.2;
                for (int i = 0; i < x.length; i++) z += w.get(i) * (float) x[i];
                double p = 1 / (1 + Math.exp(-z));
                Prediction prediction = model.explain(row);
                assertThat(prediction.probability("yes")).isCloseTo(p, within(1e-9));
                assertThat(prediction.label()).isEqualTo(p >= 0.4 ? "yes" : "no");
                double sum = prediction.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(sum).isCloseTo(z, within(1e-9));
                // The three one-hot colour features are summed back into one contribution.
                assertThat(prediction.contributions()).containsOnlyKeys("income", "age", "color", "owner", Prediction.BIAS);
            }
        }
    }

    @Test
    @DisplayName("linear regression and multiclass softmax predict values and class probabilities")
    void linearRegressionAndMulticlass() {
        FeatureEncoder enc = TestData.encoder();
        Preprocessing pre = new Preprocessing(TestData.STEPS, enc.featureNames());
        int width = enc.featureCount();
        List<Double> ones = java.util.Collections.nCopies(width, 1.0);
        List<Double> zeros = java.util.Collections.nCopies(width, 0.0);
        ModelPackageWriter.write(dir.resolve("reg"), ModelManifest.of(new Signature(TestData.INPUTS, OutputSpec.regression("y")),
                pre, new ModelBody.Linear(List.of(ones), List.of(1.0)), null, Provenance.ofEnvironment(), null), Map.of());
        ModelPackageWriter.write(dir.resolve("multi"), ModelManifest.of(
                new Signature(TestData.INPUTS, OutputSpec.multiclass("k", List.of("a", "b", "c"))), pre,
                new ModelBody.Linear(List.of(zeros, zeros, ones), List.of(0.0, Math.log(2), 0.0)), null,
                Provenance.ofEnvironment(), null), Map.of());
        Map<String, Object> row = Map.of("income", 400.0, "age", 50L, "color", "red", "owner", false);
        // features: income 400, age (50-50)/15 = 0, red = 1, green 0, blue 0, owner 0
        try (Model reg = Models.load(dir.resolve("reg")); Model multi = Models.load(dir.resolve("multi"))) {
            assertThat(reg.predict(row).value()).isCloseTo(402.0, within(1e-9));
            assertThat(reg.predict(row).label()).isNull();
            Prediction p = multi.predict(Map.of("income", 0.0, "age", 50L, "color", "green", "owner", false));
            // z = [0, ln 2, 1]: softmax = [1, 2, e] / (3 + e)
            double total = 3 + Math.E;
            assertThat(p.probability("a")).isCloseTo(1 / total, within(1e-9));
            assertThat(p.probability("b")).isCloseTo(2 / total, within(1e-9));
            assertThat(p.label()).isEqualTo("c");
        }
    }

    @Test
    @DisplayName("a baseline predicts the majority class with training frequencies, but still validates input")
    void baseline() {
        ModelPackageWriter.write(dir.resolve("base"), ModelManifest.of(TestData.BINARY, null,
                new ModelBody.Baseline("no", Map.of("no", 0.7, "yes", 0.3), null), null, Provenance.ofEnvironment(), null), Map.of());
        try (Model model = Models.load(dir.resolve("base"))) {
            List<Prediction> ps = model.predict(TestData.rows(3, 1));
            assertThat(ps).hasSize(3).allSatisfy(p -> {
                assertThat(p.label()).isEqualTo("no");
                assertThat(p.probabilities()).containsExactly(Map.entry("no", 0.7), Map.entry("yes", 0.3));
            });
            assertThat(catchInvalid(() -> model.predict(Map.of("age", 5L)))).contains("age", "color", "owner");
        }
    }

    private static List<String> catchInvalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidInputException e) {
            return e.fields();
        }
        throw new AssertionError("expected InvalidInputException");
    }
}

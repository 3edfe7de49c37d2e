package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.runtime.pkg.Flavor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packages written by earlier versions of the format (see GoldenPackages) must load and predict the same forever. */
class GoldenPackageTest {

    @ParameterizedTest(name = "golden package {0} loads and predicts its recorded values")
    @ValueSource(strings = {"v1/xgboost", "v1/linear"})
    void goldenPackageLoadsAndPredictsRecordedValues(String name) throws Exception {
        Path dir = Path.of(GoldenPackageTest.class.getResource("/golden/" + name).toURI());
        List<Map<String, Map<String, Object>>> expected = new ObjectMapper().readValue(
                dir.resolve("expected-predictions.json").toFile(), new TypeReference<>() {
                });
        try (Model model = Models.load(dir.resolve("package"))) {
            assertThat(model.manifest().formatVersion()).isEqualTo(1);
            assertThat(model.manifest().flavor()).isEqualTo(name.endsWith("xgboost") ? Flavor.XGBOOST : Flavor.LINEAR);
            assertThat(model.manifest().provenance().runId()).isEqualTo("golden-v1");
            assertThat(expected).hasSize(25);
            for (Map<String, Map<String, Object>> e : expected) {
                Prediction p = model.explain(e.get("input"));
                Map<String, Object> want = e.get("prediction");
                assertThat(p.label()).isEqualTo(want.get("label"));
                @SuppressWarnings("unchecked")
                Map<String, Double> probabilities = (Map<String, Double>) want.get("probabilities");
                assertThat(p.probabilities().keySet()).containsExactly("bad", "good");
                probabilities.forEach((k, v) -> assertThat(p.probability(k)).isCloseTo(v, within(1e-9)));
                @SuppressWarnings("unchecked")
                Map<String, Double> contributions = (Map<String, Double>) want.get("contributions");
                contributions.forEach((k, v) -> assertThat(p.contributions().get(k)).isCloseTo(v, within(1e-6)));
            }
        }
    }
}

package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.runtime.preprocess.PreprocessingStep;
import dev.cairn.runtime.preprocess.UnseenPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputPolicyTest {

    @TempDir
    Path dir;

    /** The test data's steps, but with an encoder that would quietly zero an unseen colour. */
    private static final List<PreprocessingStep> IGNORING = List.of(
            new PreprocessingStep.Impute("income", "median", 400.0),
            new PreprocessingStep.OneHot("color", TestData.COLORS, UnseenPolicy.IGNORE));

    private Model load(InputPolicy policy) {
        Path target = dir.resolve(policy.unseenCategory() + "-" + policy.outOfRange());
        FeatureEncoder enc = FeatureEncoder.natural(TestData.INPUTS, IGNORING);
        List<Double> coefficients = new ArrayList<>();
        for (int i = 0; i < enc.featureCount(); i++) coefficients.add(0.1 * (i + 1));
        Signature signature = new Signature(TestData.INPUTS, TestData.BINARY.output(), policy);
        ModelManifest manifest = ModelManifest.of(signature, new Preprocessing(IGNORING, enc.featureNames()),
                new ModelBody.Linear(List.of(coefficients), List.of(-0.2)), null, Provenance.ofEnvironment(), null);
        ModelPackageWriter.write(target, manifest, Map.of());
        return Models.load(target);
    }

    @Test
    @DisplayName("by default a category outside the field's domain is refused, even when the encoder would ignore it")
    void unseenCategoryRefusedByDefault() {
        try (Model model = load(InputPolicy.REFUSE_ALL)) {
            Map<String, Object> row = TestData.validRow();
            row.put("color", "purple");
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> model.predict(row));
            assertThat(e.fields()).containsExactly("color");
            assertThat(e.errors().getFirst().expected()).contains("[red, green, blue]");
            assertThat(model.manifest().signature().policy()).isEqualTo(InputPolicy.REFUSE_ALL);
        }
    }

    @Test
    @DisplayName("under 'unknown' an unseen category is scored as the encoder's unknown; under 'warn' an out-of-range number is scored with a warning")
    void permissivePolicies() {
        try (Model model = load(new InputPolicy(InputPolicy.UnseenCategory.UNKNOWN, InputPolicy.OutOfRange.WARN))) {
            Map<String, Object> unseen = TestData.validRow();
            unseen.put("color", "purple");
            Prediction p = model.predict(unseen);
            assertThat(p.warnings()).isNull();

            Map<String, Object> rich = TestData.validRow();
            rich.put("income", 5000.0);
            List<Prediction> batch = model.predict(List.of(TestData.validRow(), rich));
            assertThat(batch.get(0).warnings()).isNull();
            assertThat(batch.get(1).warnings()).singleElement().satisfies(w -> {
                assertThat(w.field()).isEqualTo("income");
                assertThat(w.rowNumber()).isEqualTo(2);
                assertThat(w.expected()).isEqualTo("a number in [0.0, 1000.0]");
            });
            // Types are never a matter of policy.
            Map<String, Object> wrong = TestData.validRow();
            wrong.put("age", "forty");
            assertThat(catchThrowableOfType(InvalidInputException.class, () -> model.predict(wrong)).fields()).containsExactly("age");
        }
    }

    @Test
    @DisplayName("a row that holds none of the model's inputs is refused, whatever the nullability; extra keys are ignored")
    void rowWithoutKnownFields() {
        try (Model model = load(InputPolicy.REFUSE_ALL)) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> model.predict(List.of(TestData.validRow(), Map.of("Age", "40-49"))));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.field()).isEqualTo(FieldError.ROW);
                assertThat(err.rowNumber()).isEqualTo(2);
                assertThat(err.expected()).contains("income").contains("color");
            });
            Map<String, Object> extra = TestData.validRow();
            extra.put("not_an_input", "whatever");
            assertThat(model.predict(extra).probabilities()).isEqualTo(model.predict(TestData.validRow()).probabilities());
        }
    }

    @Test
    @DisplayName("the lenient view scores what the strict model refuses for its domain or range, and agrees elsewhere")
    void lenientView() {
        try (Model model = load(InputPolicy.REFUSE_ALL)) {
            Model lenient = model.lenient();
            Map<String, Object> odd = TestData.validRow();
            odd.put("income", 5000.0);
            odd.put("color", "purple");
            assertThat(catchThrowableOfType(InvalidInputException.class, () -> model.predict(odd)).fields())
                    .containsExactly("income", "color");
            assertThat(lenient.predict(odd).probability("yes")).isBetween(0.0, 1.0);
            assertThat(lenient.predict(TestData.validRow())).isEqualTo(model.predict(TestData.validRow()));
            lenient.close();
            assertThat(model.predict(TestData.validRow()).label()).isNotNull();
        }
    }
}

package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.onnx.OnnxImport;
import dev.cairn.runtime.pkg.Flavor;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX models built by src/test/resources/onnx/make_models.py (committed, no downloads). */
class OnnxModelTest {

    @TempDir
    Path dir;

    private static Path resource(String name) throws Exception {
        return Path.of(OnnxModelTest.class.getResource("/onnx/" + name).toURI());
    }

    @Test
    @DisplayName("importing a multi-input graph without a signature infers one field per graph input")
    void importInfersSignatureFromGraphInputs() throws Exception {
        ModelManifest m = OnnxImport.importModel(resource("add.onnx"), null, dir.resolve("add"));
        assertThat(m.flavor()).isEqualTo(Flavor.ONNX);
        assertThat(m.signature().inputs()).containsExactlyInAnyOrder(
                Field.of("a", FieldType.DOUBLE, false), Field.of("b", FieldType.DOUBLE, false));
        assertThat(m.signature().output().kind()).isEqualTo(OutputKind.REGRESSION);
        assertThat(((ModelBody.Onnx) m.model()).inputMode()).isEqualTo("columns");
        try (Model model = Models.load(dir.resolve("add"))) {
            assertThat(model.predict(Map.of("a", 1.5, "b", 2.0)).value()).isCloseTo(5.5, within(1e-6));
            List<Prediction> columns = model.predictColumns(Map.of("a", new double[]{1, 2, 3}, "b", new double[]{0, 1, -1}));
            assertThat(columns).extracting(Prediction::value).containsExactly(1.0, 4.0, 1.0);
            assertThatThrownBy(() -> model.predict(Map.of("a", "x"))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'a'").hasMessageContaining("'b'");
        }
    }

    @Test
    @DisplayName("a file that is not an ONNX model is refused at import, and no package is left behind")
    void importRefusesNonOnnx() throws Exception {
        Path bogus = dir.resolve("bogus.onnx");
        java.nio.file.Files.writeString(bogus, "not a protobuf");
        assertThatThrownBy(() -> OnnxImport.importModel(bogus, null, dir.resolve("pkg")))
                .isInstanceOf(dev.cairn.core.error.CairnException.class)
                .hasMessageContaining("bogus.onnx").hasMessageContaining("an ONNX model");
        assertThat(dir.resolve("pkg")).doesNotExist();
    }

    @Test
    @DisplayName("a feature-vector graph imported without a signature gets one numeric input per column of its input")
    void importInfersFeatureVector() throws Exception {
        ModelManifest m = OnnxImport.importModel(resource("logistic.onnx"), null, dir.resolve("logistic"));
        assertThat(m.signature().inputNames()).containsExactly("features_0", "features_1", "features_2");
        assertThat(((ModelBody.Onnx) m.model()).inputMode()).isEqualTo("features");
        try (Model model = Models.load(dir.resolve("logistic"))) {
            double z = 0.5 * 1 - 1.25 * 2 + 2.0 * 3 + 0.1;
            assertThat(model.predict(Map.of("features_0", 1.0, "features_1", 2.0, "features_2", 3.0)).value())
                    .isCloseTo(1 / (1 + Math.exp(-z)), within(1e-6));
        }
    }

    @Test
    @DisplayName("with a given signature a graph scores a binary classifier over preprocessed features, from many threads")
    void importWithSignatureAsClassifier() throws Exception {
        Signature sig = new Signature(List.of(
                new Field("x", FieldType.DOUBLE, false, null, null, null, null),
                new Field("y", FieldType.INTEGER, false, null, null, null, null),
                new Field("z", FieldType.DOUBLE, true, null, null, null, null)),
                OutputSpec.binary("class", "neg", "pos"));
        OnnxImport.importModel(resource("logistic.onnx"), sig, dir.resolve("clf"));
        try (Model model = Models.load(dir.resolve("clf"))) {
            Map<String, Object> row = Map.of("x", 1.0, "y", 0L, "z", -1.0);
            double z = 0.5 - 2.0 + 0.1;
            Prediction p = model.predict(row);
            assertThat(p.probability("pos")).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-6));
            assertThat(p.label()).isEqualTo("neg");
            assertThat(model.supportsContributions()).isFalse();

            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 200; i++) rows.add(Map.of("x", i / 10.0, "y", (long) (i % 7), "z", -i / 50.0));
            List<Prediction> single = model.predict(rows);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Prediction>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> rows.stream().map(model::predict).toList()));
                }
                for (Future<List<Prediction>> f : futures) assertThat(f.get()).isEqualTo(single);
            } finally {
                pool.shutdown();
            }
        }
    }
}

package dev.cairn.runtime.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java tree walk must give what XGBoost gives, for every objective it takes on, missing values included. */
class XGBoostTreesTest {

    private static final int FEATURES = 6;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} predicts like XGBoost through engine {2}")
    @CsvSource({"binary:logistic,2,java-trees", "multi:softprob,3,java-trees", "reg:squarederror,0,java-trees",
            "count:poisson,0,java-trees", "reg:squaredlogerror,0,xgboost"})
    void javaTreesMatchXGBoost(String objective, int classes, String engine) throws Exception {
        Random random = new Random(3);
        int n = 300;
        List<Field> inputs = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) inputs.add(Field.of("x" + f, FieldType.DOUBLE, true));
        List<Map<String, Object>> rows = new ArrayList<>();
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new HashMap<>();
            double s = 0;
            for (int f = 0; f < FEATURES; f++) {
                double v = random.nextGaussian();
                row.put("x" + f, random.nextInt(6) == 0 ? null : v);
                s += v * (f + 1) / FEATURES;
            }
            rows.add(row);
            y[i] = switch (classes) {
                case 2 -> s > 0 ? 1 : 0;
                case 3 -> s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
                default -> (float) Math.abs(s) + 0.1f;
            };
        }
        FeatureEncoder enc = FeatureEncoder.natural(inputs, List.of());
        float[] x = enc.encodeBatch(rows);
        DMatrix train = new DMatrix(x, n, FEATURES, Float.NaN);
        train.setLabel(y);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", objective);
        params.put("max_depth", 4);
        params.put("nthread", 1);
        params.put("seed", 1);
        if (classes == 3) params.put("num_class", 3);
        Booster booster = XGBoost.train(train, params, 25, Map.of(), null, null);
        float[][] expected = booster.predict(train);

        OutputSpec output = switch (classes) {
            case 2 -> OutputSpec.binary("y", "n", "p");
            case 3 -> OutputSpec.multiclass("y", List.of("a", "b", "c"));
            default -> OutputSpec.regression("y");
        };
        ModelPackageWriter.write(dir.resolve("m"), ModelManifest.of(new Signature(inputs, output),
                new Preprocessing(List.of(), enc.featureNames()), new ModelBody.XGBoost("model.json", "json"), null,
                Provenance.ofEnvironment(), null), Map.of("model.json", booster.toByteArray("json")));
        try (Model model = Models.load(dir.resolve("m"))) {
            assertThat(((XGBoostModel) model).engine()).isEqualTo(engine);
            List<Prediction> predictions = model.predict(rows);
            for (int i = 0; i < n; i++) {
                Prediction p = predictions.get(i);
                switch (classes) {
                    case 2 -> assertThat(p.probability("p")).isCloseTo(expected[i][0], within(1e-6));
                    case 3 -> {
                        assertThat(p.probability("a")).isCloseTo(expected[i][0], within(1e-6));
                        assertThat(p.probability("b")).isCloseTo(expected[i][1], within(1e-6));
                        assertThat(p.probability("c")).isCloseTo(expected[i][2], within(1e-6));
                    }
                    default -> assertThat(p.value()).isCloseTo(expected[i][0], within(1e-5 * Math.max(1, Math.abs(expected[i][0]))));
                }
            }
            if (classes == 3) {
                Prediction explained = model.explain(rows.getFirst());
                float[][] margins = ((XGBoostModel) model).margins(enc.encodeBatch(List.of(rows.getFirst())), 1);
                int k = List.of("a", "b", "c").indexOf(explained.label());
                double sum = explained.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(sum).isCloseTo(margins[0][k], within(1e-4));
            }
        } finally {
            train.dispose();
            booster.dispose();
        }
    }
}

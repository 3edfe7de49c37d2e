package dev.cairn.runtime;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.runtime.preprocess.PreprocessingStep;
import dev.cairn.runtime.preprocess.UnseenPolicy;
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

/** A generated dataset and models trained on it with XGBoost4J itself, for the tests. */
final class TestData {

    static final List<String> COLORS = List.of("red", "green", "blue");

    static final List<Field> INPUTS = List.of(
            new Field("income", FieldType.DOUBLE, true, null, 0.0, 1000.0, "monthly income"),
            new Field("age", FieldType.INTEGER, false, null, 18.0, 100.0, null),
            new Field("color", FieldType.STRING, false, COLORS, null, null, null),
            new Field("owner", FieldType.BOOLEAN, false, null, null, null, null));

    static final List<PreprocessingStep> STEPS = List.of(
            new PreprocessingStep.Impute("income", "median", 400.0),
            new PreprocessingStep.StandardScale("age", 50.0, 15.0),
            new PreprocessingStep.OneHot("color", COLORS, UnseenPolicy.ERROR));

    static final Signature BINARY = new Signature(INPUTS, OutputSpec.binary("approved", "no", "yes"));

    private TestData() {
    }

    /** One row every input of {@link #INPUTS} accepts, as a mutable map for tests to spoil. */
    static Map<String, Object> validRow() {
        Map<String, Object> row = new HashMap<>();
        row.put("income", 500.0);
        row.put("age", 40L);
        row.put("color", "red");
        row.put("owner", true);
        return row;
    }

    /** Rows whose label depends on every input, with some incomes missing. */
    static List<Map<String, Object>> rows(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("income", random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 1000 * 100) / 100.0);
            row.put("age", 18L + random.nextInt(80));
            row.put("color", COLORS.get(random.nextInt(3)));
            row.put("owner", random.nextBoolean());
            rows.add(row);
        }
        return rows;
    }

    static float[] labels(List<Map<String, Object>> rows, long seed) {
        Random random = new Random(seed);
        float[] y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            double income = r.get("income") == null ? 400 : (Double) r.get("income");
            double score = income / 500 - ((Long) r.get("age") - 50) / 30.0 + ("blue".equals(r.get("color")) ? 1 : 0)
                    + ((Boolean) r.get("owner") ? 0.5 : 0) + random.nextGaussian() * 0.5;
            y[i] = score > 1.2 ? 1f : 0f;
        }
        return y;
    }

    static FeatureEncoder encoder() {
        return FeatureEncoder.natural(INPUTS, STEPS);
    }

    /** A binary:logistic booster on the encoded rows. */
    static Booster trainBinary(List<Map<String, Object>> rows, int rounds) throws Exception {
        FeatureEncoder enc = encoder();
        DMatrix train = new DMatrix(enc.encodeBatch(rows), rows.size(), enc.featureCount(), Float.NaN);
        train.setLabel(labels(rows, 7));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 42);
        Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
        train.dispose();
        return booster;
    }

    static ModelManifest writeXGBoost(Path target, Booster booster) throws Exception {
        FeatureEncoder enc = encoder();
        ModelManifest manifest = ModelManifest.of(BINARY, new Preprocessing(STEPS, enc.featureNames()),
                new ModelBody.XGBoost("model.ubj", "ubj"), null,
                Provenance.ofEnvironment().withRun("run-1", "abc123")
                        .withData("generated", "0".repeat(64), Map.of("train", 400L), "1")
                        .withParameters(Map.of("objective", "binary:logistic", "max_depth", 3), 42L)
                        .withLibraries(Map.of("xgboost4j", "3.0.4")),
                rows(1, 99).getFirst());
        return ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
    }

    /** A linear binary classifier over the same features: coefficients chosen by hand. */
    static ModelManifest writeLinear(Path target, List<PreprocessingStep> steps) {
        FeatureEncoder enc = FeatureEncoder.natural(INPUTS, steps);
        List<Double> coefficients = new ArrayList<>();
        for (int i = 0; i < enc.featureCount(); i++) coefficients.add(0.1 * (i + 1) * (i % 2 == 0 ? 1 : -1));
        ModelManifest manifest = ModelManifest.of(BINARY, new Preprocessing(steps, enc.featureNames()),
                new ModelBody.Linear(List.of(coefficients), List.of(-0.2)), 0.4, Provenance.ofEnvironment(), null);
        return ModelPackageWriter.write(target, manifest, Map.of());
    }
}

package dev.cairn.server.serving;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Small real credit models for the serving tests: generated customers, an XGBoost booster trained on
 * them with XGBoost4J, written as a Cairn model package by the runtime's own writer.
 */
final class CreditModels {

    static final List<String> PURPOSES = List.of("car", "radio/tv", "education");

    static final List<Field> INPUTS = List.of(
            new Field("age", FieldType.INTEGER, false, null, 18.0, 100.0, null),
            new Field("amount", FieldType.DOUBLE, true, null, 0.0, 100_000.0, null),
            new Field("purpose", FieldType.STRING, false, PURPOSES, null, null, null));

    /** The canary that breaks: it also needs {@code housing}, which clients of the stable version do not send. */
    static final List<Field> INPUTS_WITH_HOUSING = List.of(
            INPUTS.get(0), INPUTS.get(1), INPUTS.get(2),
            new Field("housing", FieldType.STRING, false, List.of("own", "rent"), null, null, null));

    private CreditModels() {}

    static Map<String, Object> row(long age, Double amount, String purpose) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("age", age);
        row.put("amount", amount);
        row.put("purpose", purpose);
        return row;
    }

    static List<Map<String, Object>> customers(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = row(18 + random.nextInt(70), random.nextInt(12) == 0 ? null : (double) random.nextInt(20_000),
                    PURPOSES.get(random.nextInt(3)));
            row.put("housing", random.nextBoolean() ? "own" : "rent");
            rows.add(row);
        }
        return rows;
    }

    private static final Map<String, Path> CACHE = new java.util.HashMap<>();

    /**
     * The package for {@code rounds} trees, trained once per test JVM (under the build directory)
     * and shared: tests only read packages, and training is the slow part of their setup.
     */
    static synchronized Path shared(int rounds, boolean withHousing) throws Exception {
        String key = rounds + (withHousing ? "-housing" : "");
        Path cached = CACHE.get(key);
        if (cached == null) {
            Path root = Path.of(System.getProperty("cairn.test.build.dir", System.getProperty("java.io.tmpdir")), "serving-test-models");
            java.nio.file.Files.createDirectories(root);
            cached = write(java.nio.file.Files.createTempDirectory(root, key).resolve("credit-risk"), rounds, withHousing);
            CACHE.put(key, cached);
        }
        return cached;
    }

    /** Trains {@code rounds} trees of depth 3 and writes the package to {@code target}. */
    static Path write(Path target, int rounds, boolean withHousing) throws Exception {
        List<Field> inputs = withHousing ? INPUTS_WITH_HOUSING : INPUTS;
        List<PreprocessingStep> steps = new ArrayList<>(List.of(
                new PreprocessingStep.Impute("amount", "median", 5000.0),
                new PreprocessingStep.OneHot("purpose", PURPOSES, UnseenPolicy.ERROR)));
        if (withHousing) steps.add(new PreprocessingStep.OneHot("housing", List.of("own", "rent"), UnseenPolicy.ERROR));
        FeatureEncoder encoder = FeatureEncoder.natural(inputs, steps);
        List<Map<String, Object>> rows = customers(400, 11);
        Random noise = new Random(5);
        float[] labels = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            double amount = r.get("amount") == null ? 5000 : (Double) r.get("amount");
            double score = ((Long) r.get("age") - 40) / 20.0 - amount / 10_000 + ("car".equals(r.get("purpose")) ? 0.5 : 0)
                    + noise.nextGaussian() * 0.3;
            labels[i] = score > -0.3 ? 1f : 0f;
        }
        DMatrix train = new DMatrix(encoder.encodeBatch(rows), rows.size(), encoder.featureCount(), Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 42);
        Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
        train.dispose();
        Signature signature = new Signature(inputs, OutputSpec.binary("class", "bad", "good"));
        ModelManifest manifest = ModelManifest.of(signature, new Preprocessing(steps, encoder.featureNames()),
                new ModelBody.XGBoost("model.ubj", "ubj"), null,
                Provenance.ofEnvironment().withParameters(Map.of("objective", "binary:logistic", "max_depth", 3), 42L),
                null);
        ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
        booster.dispose();
        return target;
    }
}

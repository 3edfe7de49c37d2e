package dev.cairn.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.nio.file.Files;
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
 * Writes the golden packages of the current format version, with the predictions they must keep
 * giving, into src/test/resources/golden/v{N}. Run once per format version and commit the output;
 * GoldenPackageTest then checks every later runtime still loads them and predicts the same:
 * <pre>java -cp target/test-classes:target/classes:$(deps) dev.cairn.runtime.GoldenPackages src/test/resources/golden</pre>
 */
public final class GoldenPackages {

    static final List<Field> INPUTS = List.of(
            new Field("checking_status", FieldType.STRING, false, List.of("<0", "0<=X<200", ">=200", "no checking"), null, null, null),
            new Field("duration", FieldType.INTEGER, false, null, 1.0, 120.0, "months"),
            new Field("credit_amount", FieldType.DOUBLE, true, null, 0.0, 100000.0, null),
            new Field("savings_status", FieldType.STRING, true, List.of("<100", "100<=X<500", ">=500"), null, null, null),
            new Field("age", FieldType.INTEGER, false, null, 18.0, 100.0, null),
            new Field("own_telephone", FieldType.BOOLEAN, false, null, null, null, null));

    static final List<PreprocessingStep> STEPS = List.of(
            new PreprocessingStep.OneHot("checking_status", List.of("<0", "0<=X<200", ">=200", "no checking"), UnseenPolicy.ERROR),
            new PreprocessingStep.Impute("credit_amount", "median", 2320.0),
            new PreprocessingStep.StandardScale("credit_amount", 3271.0, 2822.7),
            new PreprocessingStep.Impute("savings_status", "most_frequent", "<100"),
            new PreprocessingStep.Ordinal("savings_status", List.of("<100", "100<=X<500", ">=500"), UnseenPolicy.OTHER),
            new PreprocessingStep.Bucketize("age", List.of(25.0, 35.0, 50.0)));

    static final Signature SIGNATURE = new Signature(INPUTS, OutputSpec.binary("class", "bad", "good"));

    private GoldenPackages() {
    }

    static List<Map<String, Object>> rows(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> checking = INPUTS.get(0).domain();
        List<String> savings = INPUTS.get(3).domain();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("checking_status", checking.get(random.nextInt(checking.size())));
            row.put("duration", 4L + random.nextInt(60));
            row.put("credit_amount", random.nextInt(8) == 0 ? null : 250.0 + random.nextInt(15000));
            row.put("savings_status", random.nextInt(8) == 0 ? null : savings.get(random.nextInt(savings.size())));
            row.put("age", 19L + random.nextInt(60));
            row.put("own_telephone", random.nextBoolean());
            rows.add(row);
        }
        return rows;
    }

    static float label(Map<String, Object> r, Random random) {
        double s = ("no checking".equals(r.get("checking_status")) ? 1.2 : 0) - ((Long) r.get("duration")) / 30.0
                + ((Long) r.get("age")) / 40.0 + random.nextGaussian() * 0.4;
        return s > 0.2 ? 1f : 0f;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).resolve("v" + ModelManifest.CURRENT_FORMAT_VERSION);
        Files.createDirectories(root);
        FeatureEncoder enc = FeatureEncoder.natural(INPUTS, STEPS);
        List<Map<String, Object>> train = rows(300, 11);
        Random random = new Random(5);
        float[] y = new float[train.size()];
        for (int i = 0; i < y.length; i++) y[i] = label(train.get(i), random);
        DMatrix matrix = new DMatrix(enc.encodeBatch(train), train.size(), enc.featureCount(), Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 42);
        Booster booster = XGBoost.train(matrix, params, 20, Map.of(), null, null);
        Provenance provenance = new Provenance("golden-v1", "generated by GoldenPackages", "0".repeat(64),
                Map.of("train", 300L), "1", params, 42L, "golden", "golden", "golden", "golden",
                Map.of("xgboost4j", "3.0.4"), "2026-11-23T00:00:00Z", null);
        Preprocessing pre = new Preprocessing(STEPS, enc.featureNames());
        List<Map<String, Object>> examples = rows(25, 99);

        ModelManifest xgb = ModelManifest.of(SIGNATURE, pre, new ModelBody.XGBoost("model.ubj", "ubj"), 0.6, provenance,
                examples.getFirst());
        write(root.resolve("xgboost"), xgb, Map.of("model.ubj", booster.toByteArray("ubj")), examples);

        List<Double> coefficients = new ArrayList<>();
        for (int i = 0; i < enc.featureCount(); i++) coefficients.add(Math.round((i % 3 - 1) * 0.37 * (i + 1) * 1000) / 1000.0);
        ModelManifest linear = ModelManifest.of(SIGNATURE, pre, new ModelBody.Linear(List.of(coefficients), List.of(0.25)),
                null, provenance, examples.getFirst());
        write(root.resolve("linear"), linear, Map.of(), examples);
        booster.dispose();
        matrix.dispose();
    }

    private static void write(Path dir, ModelManifest manifest, Map<String, byte[]> files, List<Map<String, Object>> examples)
            throws Exception {
        ModelPackageWriter.write(dir.resolve("package"), manifest, files);
        List<Map<String, Object>> expected = new ArrayList<>();
        try (Model model = Models.load(dir.resolve("package"))) {
            for (Map<String, Object> row : examples) {
                Prediction p = model.explain(row);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("input", row);
                e.put("prediction", p);
                expected.add(e);
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("expected-predictions.json").toFile(), expected);
    }
}

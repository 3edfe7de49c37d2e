package dev.cairn.server.ui;

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

/** A real, small credit model package (XGBoost4J, written by the runtime's own writer) for the UI's deployments. */
final class TinyCreditModel {

    private static final List<String> PURPOSES = List.of("car", "education");
    private static final List<Field> INPUTS = List.of(
            new Field("age", FieldType.INTEGER, false, null, 18.0, 100.0, null),
            new Field("purpose", FieldType.STRING, false, PURPOSES, null, null, null));

    private TinyCreditModel() {}

    /** The 200 seeded customers the model trains on: age 18 to 77, purpose car or education; "good" (1) when older than 40. */
    static List<Map<String, Object>> trainingRows() {
        Random random = new Random(3);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            long age = 18 + random.nextInt(60);
            row.put("age", age);
            row.put("purpose", PURPOSES.get(random.nextInt(2)));
            rows.add(row);
        }
        return rows;
    }

    /** The training rows as CSV with their label, {@code age,purpose,class}. */
    static Path writeTrainingCsv(Path target) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("age,purpose,class\n");
        for (Map<String, Object> row : trainingRows()) {
            long age = (Long) row.get("age");
            csv.append(age).append(',').append(row.get("purpose")).append(',').append(age > 40 ? "good" : "bad").append('\n');
        }
        java.nio.file.Files.createDirectories(target.getParent());
        return java.nio.file.Files.writeString(target, csv);
    }

    /** Trains {@code rounds} trees of depth 2 on the 200 seeded customers and writes the package to {@code target}. */
    static Path write(Path target, int rounds) throws Exception {
        List<PreprocessingStep> steps = List.of(new PreprocessingStep.OneHot("purpose", PURPOSES, UnseenPolicy.ERROR));
        FeatureEncoder encoder = FeatureEncoder.natural(INPUTS, steps);
        List<Map<String, Object>> rows = trainingRows();
        float[] labels = new float[rows.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = (Long) rows.get(i).get("age") > 40 ? 1f : 0f;
        DMatrix train = new DMatrix(encoder.encodeBatch(rows), rows.size(), encoder.featureCount(), Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 2, "eta", 0.3, "nthread", 1, "seed", 42);
        Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
        train.dispose();
        ModelManifest manifest = ModelManifest.of(new Signature(INPUTS, OutputSpec.binary("class", "bad", "good")),
                new Preprocessing(steps, encoder.featureNames()), new ModelBody.XGBoost("model.ubj", "ubj"), null,
                Provenance.ofEnvironment().withParameters(Map.of("objective", "binary:logistic", "max_depth", 2), 42L), null);
        ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
        booster.dispose();
        return target;
    }
}

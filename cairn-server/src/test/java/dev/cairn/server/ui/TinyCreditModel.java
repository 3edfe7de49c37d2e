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

    /** Trains {@code rounds} trees of depth 2 on 200 seeded customers and writes the package to {@code target}. */
    static Path write(Path target, int rounds) throws Exception {
        List<PreprocessingStep> steps = List.of(new PreprocessingStep.OneHot("purpose", PURPOSES, UnseenPolicy.ERROR));
        FeatureEncoder encoder = FeatureEncoder.natural(INPUTS, steps);
        Random random = new Random(3);
        List<Map<String, Object>> rows = new ArrayList<>();
        float[] labels = new float[200];
        for (int i = 0; i < labels.length; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            long age = 18 + random.nextInt(60);
            row.put("age", age);
            row.put("purpose", PURPOSES.get(random.nextInt(2)));
            rows.add(row);
            labels[i] = age > 40 ? 1f : 0f;
        }
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

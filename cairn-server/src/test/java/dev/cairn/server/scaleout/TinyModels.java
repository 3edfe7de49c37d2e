package dev.cairn.server.scaleout;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** Small real XGBoost packages (two numeric inputs, a binary output) for the scale-out tests, uploaded into the S3 artifact store. */
final class TinyModels {
    static final List<Field> INPUTS = List.of(
            new Field("age", FieldType.INTEGER, false, null, 18.0, 100.0, null),
            new Field("amount", FieldType.DOUBLE, false, null, 0.0, 100_000.0, null));

    private TinyModels() {}

    /** One request's inputs, drawn from {@code random}. */
    static Map<String, Object> row(Random random) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("age", 18 + random.nextInt(70));
        row.put("amount", (double) random.nextInt(20_000));
        return row;
    }

    /** Writes a package of {@code rounds} trees under {@code dir}. */
    static Path write(Path dir, int rounds) throws Exception {
        FeatureEncoder encoder = FeatureEncoder.natural(INPUTS, List.of());
        Random random = new Random(7);
        int n = 200;
        float[] features = new float[n * 2];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = row(random);
            features[2 * i] = ((Integer) row.get("age")).floatValue();
            features[2 * i + 1] = ((Double) row.get("amount")).floatValue();
            labels[i] = ((Integer) row.get("age") - 40) / 20.0 - (Double) row.get("amount") / 10_000 > -0.3 ? 1f : 0f;
        }
        DMatrix train = new DMatrix(features, n, 2, Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 2);
        params.put("nthread", 1);
        params.put("seed", 42);
        Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
        train.dispose();
        ModelManifest manifest = ModelManifest.of(new Signature(INPUTS, OutputSpec.binary("class", "bad", "good")),
                new Preprocessing(List.of(), encoder.featureNames()), new ModelBody.XGBoost("model.ubj", "ubj"), null,
                Provenance.ofEnvironment().withParameters(Map.of("objective", "binary:logistic"), 42L), null);
        Path target = dir.resolve("model-" + rounds);
        ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
        booster.dispose();
        return target;
    }

    /** Copies the package at {@code local} into {@code artifacts} under {@code path}. */
    static void upload(Path local, ArtifactRepository artifacts, String path) throws IOException {
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    artifacts.put(path + "/" + local.relativize(file).toString().replace('\\', '/'), in);
                }
            }
        }
    }
}

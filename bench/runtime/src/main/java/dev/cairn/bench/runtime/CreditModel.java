package dev.cairn.bench.runtime;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * The credit-g model of the benchmark: reads examples/credit-risk/credit-g.csv, one-hots the
 * categorical columns, trains 100 trees of depth 3 with XGBoost4J and writes a Cairn package.
 */
final class CreditModel {

    static final Set<String> NUMERIC = Set.of("duration", "credit_amount", "installment_commitment", "residence_since",
            "age", "existing_credits", "num_dependents");

    final List<Map<String, Object>> rows = new ArrayList<>();
    final float[] labels;
    final Signature signature;
    final FeatureEncoder encoder;
    final List<PreprocessingStep> steps = new ArrayList<>();
    final Booster booster;

    CreditModel(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.getFirst().split(",");
        List<Float> y = new ArrayList<>();
        Map<String, TreeSet<String>> categories = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i < header.length - 1; i++) {      // skip customer_id and the label
                if (NUMERIC.contains(header[i])) {
                    row.put(header[i], Long.parseLong(v[i]));
                } else {
                    row.put(header[i], v[i]);
                    categories.computeIfAbsent(header[i], k -> new TreeSet<>()).add(v[i]);
                }
            }
            rows.add(row);
            y.add("good".equals(v[header.length - 1]) ? 1f : 0f);
        }
        labels = new float[y.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = y.get(i);
        List<Field> inputs = new ArrayList<>();
        for (int i = 1; i < header.length - 1; i++) {
            String name = header[i];
            if (NUMERIC.contains(name)) {
                inputs.add(new Field(name, FieldType.INTEGER, false, null, 0.0, null, null));
            } else {
                List<String> domain = List.copyOf(categories.get(name));
                inputs.add(new Field(name, FieldType.STRING, false, domain, null, null, null));
                steps.add(new PreprocessingStep.OneHot(name, domain, UnseenPolicy.IGNORE));
            }
        }
        signature = new Signature(inputs, OutputSpec.binary("class", "bad", "good"));
        encoder = FeatureEncoder.natural(inputs, steps);
        DMatrix train = new DMatrix(encoder.encodeBatch(rows), rows.size(), encoder.featureCount(), Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 3);
        params.put("eta", 0.1);
        params.put("nthread", 1);
        params.put("seed", 1);
        booster = XGBoost.train(train, params, 100, Map.of(), null, null);
        train.dispose();
    }

    Path writePackage(Path dir) throws Exception {
        Path target = dir.resolve("credit-model");
        ModelManifest manifest = ModelManifest.of(signature, new Preprocessing(steps, encoder.featureNames()),
                new ModelBody.XGBoost("model.ubj", "ubj"), null, Provenance.ofEnvironment(), rows.getFirst());
        ModelPackageWriter.write(target, manifest, Map.of("model.ubj", booster.toByteArray("ubj")));
        return target;
    }

    /** examples/credit-risk/credit-g.csv, looked for from the working directory upwards. */
    static Path findCsv() throws IOException {
        String configured = System.getProperty("cairn.bench.csv");
        if (configured != null) return Path.of(configured);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path csv = p.resolve("examples/credit-risk/credit-g.csv");
            if (Files.exists(csv)) return csv;
        }
        throw new IOException("examples/credit-risk/credit-g.csv not found above " + Path.of("").toAbsolutePath()
                + "; pass -Dcairn.bench.csv=<path>");
    }
}

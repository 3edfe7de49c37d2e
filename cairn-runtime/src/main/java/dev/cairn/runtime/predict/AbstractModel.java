package dev.cairn.runtime.predict;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What all flavors share: validation and encoding of inputs, and turning raw scores into
 * {@link Prediction}s. A flavor only scores encoded rows.
 */
abstract class AbstractModel extends RowShapes {

    protected final ModelManifest manifest;
    protected final Signature signature;
    protected final FeatureEncoder encoder;
    protected final List<String> inputNames;
    private final OutputSpec output;
    private final String[] classes;
    private final double threshold;
    private final Model lenient;

    AbstractModel(ModelPackage pkg) {
        super(pkg.manifest().signature().inputNames());
        this.manifest = pkg.manifest();
        this.signature = manifest.signature();
        Preprocessing pre = manifest.preprocessing();
        if (pre == null) {
            pre = new Preprocessing(List.of(), FeatureEncoder.naturalFeatureNames(signature.inputs(), List.of()));
        }
        this.encoder = FeatureEncoder.of(signature.inputs(), pre, signature.policy());
        this.inputNames = signature.inputNames();
        this.output = signature.output();
        this.classes = output.classes() == null ? new String[0] : output.classes().toArray(String[]::new);
        this.threshold = manifest.thresholdOrDefault();
        this.lenient = new Lenient();
    }

    /**
     * Scores {@code n} rows. {@code features} is the row-major encoded matrix; {@code rows} the raw
     * input (already validated). Returns per row: class probabilities in signature order for
     * classifiers, {@code [value]} for regression.
     */
    protected abstract double[][] score(RowSource rows, float[] features, int n);

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public FeatureEncoder encoder() {
        return encoder;
    }

    @Override
    public List<Prediction> predict(RowSource rows) {
        return predict(rows, encoder);
    }

    @Override
    public boolean supportsContributions() {
        return false;
    }

    @Override
    public Prediction explain(Map<String, ?> row) {
        throw new CairnException(ErrorCode.INVALID_STATE, "Models of flavor " + manifest.flavor().wireName()
                + " do not give per-input contributions; xgboost, linear and baseline models do");
    }

    /** Validates and encodes through {@code with} (this model's encoder, or its lenient copy), then scores. */
    protected List<Prediction> predict(RowSource rows, FeatureEncoder with) {
        int n = rows.size();
        if (n == 0) return List.of();
        List<FieldError> warnings = new ArrayList<>(0);
        float[] features = with.encodeFloats(rows, warnings);
        double[][] scores = score(rows, features, n);
        List<Prediction> out = new ArrayList<>(n);
        for (double[] s : scores) out.add(toPrediction(s));
        return withWarnings(out, warnings);
    }

    /** Attaches each row's warnings to its prediction. */
    protected static List<Prediction> withWarnings(List<Prediction> predictions, List<FieldError> warnings) {
        if (warnings.isEmpty()) return predictions;
        List<Prediction> out = new ArrayList<>(predictions);
        Map<Integer, List<FieldError>> byRow = new LinkedHashMap<>();
        for (FieldError w : warnings) byRow.computeIfAbsent(w.row(), k -> new ArrayList<>()).add(w);
        byRow.forEach((row, list) -> out.set(row, out.get(row).withWarnings(list)));
        return out;
    }

    @Override
    public Model lenient() {
        return lenient;
    }

    /**
     * This model seen through the lenient encoder: values outside the signature's domains and ranges
     * are scored, not refused. Shares the model's native state; closing it does nothing.
     */
    private final class Lenient extends RowShapes {
        private final FeatureEncoder lenientEncoder = encoder.lenient();

        Lenient() {
            super(inputNames);
        }

        @Override
        public Signature signature() {
            return signature;
        }

        @Override
        public ModelManifest manifest() {
            return manifest;
        }

        @Override
        public FeatureEncoder encoder() {
            return lenientEncoder;
        }

        @Override
        public List<Prediction> predict(RowSource rows) {
            return AbstractModel.this.predict(rows, lenientEncoder);
        }

        @Override
        public boolean supportsContributions() {
            return AbstractModel.this.supportsContributions();
        }

        @Override
        public Prediction explain(Map<String, ?> row) {
            return AbstractModel.this.explain(row);
        }

        @Override
        public Model lenient() {
            return this;
        }

        @Override
        public void close() {
            // the model it views owns the native state
        }
    }

    protected Prediction toPrediction(double[] s) {
        if (output.kind() == OutputKind.REGRESSION) return new Prediction(null, null, s[0], null);
        double[] probabilities;
        String label;
        if (output.kind() == OutputKind.BINARY) {
            double positive = s.length == 1 ? s[0] : s[1];
            probabilities = new double[] {1.0 - positive, positive};
            label = positive >= threshold ? classes[1] : classes[0];
        } else {
            probabilities = new double[classes.length];
            int best = 0;
            for (int k = 0; k < classes.length; k++) {
                probabilities[k] = s[k];
                if (s[k] > s[best]) best = k;
            }
            label = classes[best];
        }
        return new Prediction(label, new ClassProbabilities(classes, probabilities), null, null);
    }

    protected int classCount() {
        return classes.length;
    }

    protected OutputSpec output() {
        return output;
    }
}

package dev.cairn.runtime.predict;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost booster. Predictions are computed by {@link XGBoostTrees}, a Java walk of the
 * booster's own JSON dump, when it covers the model (gbtree, numerical splits, common objectives)
 * and agrees with XGBoost on probe rows at load; otherwise by {@code Booster.inplace_predict},
 * which in XGBoost4J 3.0 is not synchronized and maps to XGBoost's thread-safe in-place
 * prediction. Why not {@code Booster.predict(DMatrix)}: it is synchronized on the booster and
 * needs a native matrix per call (see docs/benchmarks.md, Runtime). Contributions use XGBoost's
 * own {@code predictContrib} (TreeSHAP), which is synchronized, so explanations serialize.
 * Thread safety is tested in XGBoostModelTest and measured in bench/runtime.
 */
final class XGBoostModel extends AbstractModel {

    private final Booster booster;
    private final int width;
    private final int classes;
    private final XGBoostTrees trees;

    XGBoostModel(ModelPackage pkg, ModelBody.XGBoost body) {
        super(pkg);
        this.width = encoder.featureCount();
        this.classes = output().kind() == OutputKind.MULTICLASS ? classCount() : 1;
        try {
            this.booster = XGBoost.loadModel(pkg.file(body.file()));
            // One OpenMP thread per call: a server predicts from many threads at once already.
            booster.setParam("nthread", 1);
            long modelFeatures = booster.getNumFeature();
            if (modelFeatures > width) {
                booster.dispose();
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + pkg.source()
                        + ": the XGBoost model uses " + modelFeatures + " features but preprocessing.features lists " + width);
            }
            this.trees = javaTrees(pkg);
        } catch (XGBoostError | java.io.IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + pkg.source()
                    + ": XGBoost cannot load '" + body.file() + "': " + e.getMessage(), e);
        }
    }

    /** The Java evaluator if it covers this model and agrees with XGBoost on probe rows, else null. */
    private XGBoostTrees javaTrees(ModelPackage pkg) throws XGBoostError, java.io.IOException {
        XGBoostTrees candidate = XGBoostTrees.fromJson(booster.toByteArray("json")).orElse(null);
        if (candidate == null || candidate.groupCount() != classes) return null;
        java.util.List<float[]> probes = new java.util.ArrayList<>();
        float[] missing = new float[width];
        java.util.Arrays.fill(missing, Float.NaN);
        probes.add(missing);
        probes.add(new float[width]);
        if (pkg.manifest().inputExample() != null) {
            try {
                probes.add(encoder.lenient().encodeBatch(java.util.List.of(pkg.manifest().inputExample())));
            } catch (CairnException invalidExample) {
                // an example that does not validate is simply not used as a probe
            }
        }
        for (float[] probe : probes) {
            float[] expected = booster.inplace_predict(probe, 1, width, Float.NaN)[0];
            double[] actual = candidate.predict(probe, 0);
            if (expected.length != actual.length) return null;
            for (int k = 0; k < expected.length; k++) {
                if (Math.abs(expected[k] - actual[k]) > 1e-5) return null;
            }
        }
        return candidate;
    }

    /** Which engine predicts: {@code java-trees} or {@code xgboost}. */
    String engine() {
        return trees != null ? "java-trees" : "xgboost";
    }

    @Override
    protected double[][] score(RowSource rows, float[] features, int n) {
        if (trees != null) {
            double[][] out = new double[n][];
            for (int r = 0; r < n; r++) out[r] = trees.predict(features, r * width);
            return out;
        }
        float[][] raw;
        try {
            raw = booster.inplace_predict(features, n, width, Float.NaN);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost prediction failed: " + e.getMessage(), e);
        }
        double[][] out = new double[n][];
        for (int r = 0; r < n; r++) {
            float[] row = raw[r];
            double[] d = new double[row.length];
            for (int k = 0; k < row.length; k++) d[k] = row[k];
            out[r] = d;
        }
        return out;
    }

    @Override
    public boolean supportsContributions() {
        return true;
    }

    @Override
    public Prediction explain(Map<String, ?> row) {
        Prediction p = predict(row);
        float[] features = encoder.encodeFloats(RowSource.ofMap(row, inputNames));
        float[][] contrib;
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(features, 1, width, Float.NaN);
            contrib = booster.predictContrib(matrix, 0);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost contributions failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) matrix.dispose();
        }
        // Per class the layout is [features..., bias]; for multiclass explain the predicted class.
        int group = 0;
        if (classes > 1) group = signature.output().classes().indexOf(p.label());
        double[] perFeature = new double[width];
        int base = group * (width + 1);
        for (int f = 0; f < width; f++) perFeature[f] = contrib[0][base + f];
        Map<String, Double> byInput = new LinkedHashMap<>(encoder.sumByInput(perFeature));
        byInput.put(Prediction.BIAS, (double) contrib[0][base + width]);
        return p.withContributions(byInput);
    }

    /** The margin (untransformed score) per row and class, through the synchronized DMatrix path; for tests and tools. */
    public float[][] margins(float[] features, int n) {
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(features, n, width, Float.NaN);
            return booster.predict(matrix, true);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) matrix.dispose();
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}

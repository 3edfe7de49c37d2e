package dev.cairn.runtime.predict;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.preprocess.Coercion;
import dev.cairn.runtime.preprocess.RowSource;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph run by ONNX Runtime. {@link OrtSession#run} is safe to call from many threads on
 * one session, so no lock is taken. Only tensor outputs are read (not sequences of maps).
 */
final class OnnxModel extends AbstractModel {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelBody.Onnx body;
    private final String outputName;
    private final String featureInput;
    private final OnnxJavaType[] columnTypes;

    OnnxModel(ModelPackage pkg, ModelBody.Onnx body) {
        super(pkg);
        this.body = body;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(pkg.file(body.file()), options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            this.outputName = body.output() != null ? body.output() : session.getOutputNames().iterator().next();
            if (!session.getOutputNames().contains(outputName)) {
                throw invalid(pkg, "output '" + outputName + "' is not an output of the graph " + session.getOutputNames());
            }
            if (ModelBody.Onnx.COLUMNS.equals(body.inputMode())) {
                featureInput = null;
                List<Field> fields = signature.inputs();
                columnTypes = new OnnxJavaType[fields.size()];
                for (int i = 0; i < fields.size(); i++) {
                    NodeInfo info = inputs.get(fields.get(i).name());
                    if (info == null || !(info.getInfo() instanceof TensorInfo t)) {
                        throw invalid(pkg, "signature input '" + fields.get(i).name() + "' is not a tensor input of the graph " + inputs.keySet());
                    }
                    columnTypes[i] = t.type;
                }
                if (inputs.size() != fields.size()) {
                    throw invalid(pkg, "the graph has inputs " + inputs.keySet() + " but the signature " + signature.inputNames());
                }
            } else {
                if (inputs.size() != 1) throw invalid(pkg, "input_mode features needs a graph with one input, not " + inputs.keySet());
                featureInput = inputs.keySet().iterator().next();
                columnTypes = null;
            }
        } catch (OrtException e) {
            throw invalid(pkg, "ONNX Runtime cannot load '" + body.file() + "': " + e.getMessage());
        }
    }

    private static CairnException invalid(ModelPackage pkg, String reason) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + pkg.source() + ": " + reason);
    }

    @Override
    protected double[][] score(RowSource rows, float[] features, int n) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            if (featureInput != null) {
                int width = encoder.featureCount();
                tensors.put(featureInput, OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[]{n, width}));
            } else {
                List<Field> fields = signature.inputs();
                for (int i = 0; i < fields.size(); i++) tensors.put(fields.get(i).name(), column(rows, i, n));
            }
            try (OrtSession.Result result = session.run(tensors, Set.of(outputName))) {
                OnnxValue value = result.get(outputName).orElseThrow();
                return toRows(value.getValue(), n);
            }
        } catch (OrtException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "ONNX Runtime prediction failed: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** One signature input as an {@code [n, 1]} tensor of the graph input's element type. */
    private OnnxTensor column(RowSource rows, int field, int n) throws OrtException {
        Field f = signature.inputs().get(field);
        OnnxJavaType type = columnTypes[field];
        switch (type) {
            case FLOAT -> {
                float[][] a = new float[n][1];
                for (int r = 0; r < n; r++) a[r][0] = (float) number(rows, r, field, f);
                return OnnxTensor.createTensor(env, a);
            }
            case DOUBLE -> {
                double[][] a = new double[n][1];
                for (int r = 0; r < n; r++) a[r][0] = number(rows, r, field, f);
                return OnnxTensor.createTensor(env, a);
            }
            case INT64 -> {
                long[][] a = new long[n][1];
                for (int r = 0; r < n; r++) a[r][0] = (long) number(rows, r, field, f);
                return OnnxTensor.createTensor(env, a);
            }
            case INT32 -> {
                int[][] a = new int[n][1];
                for (int r = 0; r < n; r++) a[r][0] = (int) number(rows, r, field, f);
                return OnnxTensor.createTensor(env, a);
            }
            case BOOL -> {
                boolean[][] a = new boolean[n][1];
                for (int r = 0; r < n; r++) a[r][0] = number(rows, r, field, f) != 0.0;
                return OnnxTensor.createTensor(env, a);
            }
            case STRING -> {
                String[][] a = new String[n][1];
                for (int r = 0; r < n; r++) {
                    Object v = rows.get(r, field);
                    a[r][0] = Coercion.isMissing(v) ? "" : Coercion.toCategory(f.type(), v);
                }
                return OnnxTensor.createTensor(env, a);
            }
            default -> throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "ONNX input '" + f.name()
                    + "' has element type " + type + ", which Cairn does not feed");
        }
    }

    private static double number(RowSource rows, int r, int field, Field f) {
        Object v = rows.get(r, field);
        return Coercion.isMissing(v) ? Double.NaN : Coercion.toDouble(f.type(), v);
    }

    /** Output tensors {@code [n]}, {@code [n, k]} of float, double or int64 as rows of doubles. */
    private static double[][] toRows(Object value, int n) {
        double[][] out = new double[n][];
        switch (value) {
            case float[][] a -> {
                for (int r = 0; r < n; r++) {
                    out[r] = new double[a[r].length];
                    for (int k = 0; k < a[r].length; k++) out[r][k] = a[r][k];
                }
            }
            case double[][] a -> {
                for (int r = 0; r < n; r++) out[r] = a[r].clone();
            }
            case float[] a -> {
                for (int r = 0; r < n; r++) out[r] = new double[]{a[r]};
            }
            case double[] a -> {
                for (int r = 0; r < n; r++) out[r] = new double[]{a[r]};
            }
            case long[][] a -> {
                for (int r = 0; r < n; r++) out[r] = new double[]{a[r][0]};
            }
            case long[] a -> {
                for (int r = 0; r < n; r++) out[r] = new double[]{a[r]};
            }
            default -> throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "The ONNX output is a "
                    + value.getClass().getSimpleName() + "; Cairn reads float, double or int64 tensors of shape [N] or [N, K]");
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not close ONNX session: " + e.getMessage(), e);
        }
    }
}

package dev.cairn.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.cairn.core.error.CairnException;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a model package from an ONNX file. Without a signature, one is inferred from the graph:
 * a single float input of shape {@code [N, F]} becomes F DOUBLE inputs named {@code <input>_<i>}
 * fed as the feature vector ({@code input_mode: features}); otherwise every graph input becomes
 * one field of the matching type fed as its own {@code [N, 1]} tensor ({@code input_mode: columns}).
 * The inferred output is a regression on the first graph output; pass a signature to say otherwise.
 */
public final class OnnxImport {

    private OnnxImport() {
    }

    /** Writes a package for {@code onnxFile} into the new directory {@code target}; returns its manifest. */
    public static ModelManifest importModel(Path onnxFile, Signature signature, Path target) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnxFile);
        } catch (IOException e) {
            throw CairnException.notFound("ONNX file", onnxFile);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(bytes, options)) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            String firstOutput = session.getOutputNames().iterator().next();
            boolean featureMode = isFeatureVector(inputs);
            Signature sig = signature;
            if (sig == null) {
                sig = new Signature(featureMode ? featureFields(inputs) : columnFields(inputs),
                        OutputSpec.regression(firstOutput));
            } else {
                // A given signature whose inputs are the graph's inputs feeds them as columns;
                // any other feeds the encoded feature vector to the graph's one input.
                featureMode = !new java.util.HashSet<>(sig.inputNames()).equals(inputs.keySet());
            }
            String mode = featureMode ? ModelBody.Onnx.FEATURES : ModelBody.Onnx.COLUMNS;
            Preprocessing pre = featureMode
                    ? new Preprocessing(List.of(), FeatureEncoder.naturalFeatureNames(sig.inputs(), List.of()))
                    : null;
            String output = chooseOutput(session, sig);
            ModelManifest manifest = ModelManifest.of(sig, pre, new ModelBody.Onnx("model.onnx", mode, output), null,
                    Provenance.ofEnvironment().withExtra(Map.of("imported_from", onnxFile.getFileName().toString())), null);
            return ModelPackageWriter.write(target, manifest, Map.of("model.onnx", bytes));
        } catch (OrtException e) {
            throw CairnException.invalid("onnx_file", onnxFile.toString(), "an ONNX model ONNX Runtime can load ("
                    + e.getMessage() + ")");
        }
    }

    private static boolean isFeatureVector(Map<String, NodeInfo> inputs) {
        if (inputs.size() != 1) return false;
        if (!(inputs.values().iterator().next().getInfo() instanceof TensorInfo t)) return false;
        long[] shape = t.getShape();
        return t.type == OnnxJavaType.FLOAT && shape.length == 2 && shape[1] > 1;
    }

    private static List<Field> featureFields(Map<String, NodeInfo> inputs) {
        Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
        long width = ((TensorInfo) in.getValue().getInfo()).getShape()[1];
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < width; i++) fields.add(Field.of(in.getKey() + "_" + i, FieldType.DOUBLE, false));
        return fields;
    }

    private static List<Field> columnFields(Map<String, NodeInfo> inputs) {
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                throw CairnException.invalid("onnx input", e.getKey(), "a tensor input");
            }
            FieldType type = switch (t.type) {
                case FLOAT, DOUBLE -> FieldType.DOUBLE;
                case INT64, INT32, INT16, INT8, UINT8 -> FieldType.INTEGER;
                case BOOL -> FieldType.BOOLEAN;
                case STRING -> FieldType.STRING;
                default -> throw CairnException.invalid("onnx input", e.getKey() + " (" + t.type + ")",
                        "an input of type float, double, integer, bool or string");
            };
            fields.add(Field.of(e.getKey(), type, false));
        }
        return fields;
    }

    /** For classifiers the graph output with probabilities (a float tensor named like "prob…"), else the first. */
    private static String chooseOutput(OrtSession session, Signature sig) throws OrtException {
        if (sig.output().isClassifier()) {
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("prob")
                        && e.getValue().getInfo() instanceof TensorInfo) {
                    return e.getKey();
                }
            }
        }
        return session.getOutputNames().iterator().next();
    }
}

package dev.cairn.server.serving;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Open Inference Protocol tensors: a model's predictions as output tensors, and its signature as metadata. */
final class OipOutputs {
    private OipOutputs() {}

    static List<Map<String, Object>> of(ServedModel model, List<Prediction> predictions) {
        OutputSpec output = model.signature().output();
        int n = predictions.size();
        List<Map<String, Object>> tensors = new ArrayList<>(2);
        if (output.isClassifier()) {
            List<Object> labels = new ArrayList<>(n);
            List<String> classes = output.classes();
            List<Object> probabilities = new ArrayList<>(n * classes.size());
            for (Prediction p : predictions) {
                labels.add(p.label());
                for (String c : classes) probabilities.add(p.probabilities() == null ? null : p.probabilities().get(c));
            }
            tensors.add(tensor(output.name() == null ? "label" : output.name(), List.of(n), "BYTES", labels, null));
            tensors.add(tensor("probabilities", List.of(n, classes.size()), "FP64", probabilities, Map.of("classes", classes)));
        } else {
            List<Object> values = new ArrayList<>(n);
            for (Prediction p : predictions) values.add(p.value());
            tensors.add(tensor(output.name() == null ? "value" : output.name(), List.of(n), "FP64", values, null));
        }
        return tensors;
    }

    private static Map<String, Object> tensor(String name, List<Integer> shape, String datatype, List<Object> data,
                                              Map<String, Object> parameters) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("shape", shape);
        t.put("datatype", datatype);
        if (parameters != null) t.put("parameters", parameters);
        t.put("data", data);
        return t;
    }

    static List<Map<String, Object>> inputs(Signature signature) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Field f : signature.inputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("datatype", datatype(f.type()));
            m.put("shape", List.of(-1));
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("nullable", f.nullable());
            if (f.domain() != null) parameters.put("domain", f.domain());
            if (f.min() != null) parameters.put("min", f.min());
            if (f.max() != null) parameters.put("max", f.max());
            m.put("parameters", parameters);
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> outputs(Signature signature) {
        OutputSpec output = signature.output();
        if (output.isClassifier()) {
            return List.of(
                    Map.of("name", output.name() == null ? "label" : output.name(), "datatype", "BYTES", "shape", List.of(-1)),
                    Map.of("name", "probabilities", "datatype", "FP64", "shape", List.of(-1, output.classes().size()),
                            "parameters", Map.of("classes", output.classes())));
        }
        return List.of(Map.of("name", output.name() == null ? "value" : output.name(), "datatype", "FP64", "shape", List.of(-1)));
    }

    static String datatype(FieldType type) {
        return switch (type) {
            case BOOLEAN -> "BOOL";
            case INTEGER, TIMESTAMP -> "INT64";
            case DOUBLE -> "FP64";
            case STRING -> "BYTES";
        };
    }
}

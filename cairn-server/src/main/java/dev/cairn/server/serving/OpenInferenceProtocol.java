package dev.cairn.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol (KServe v2) request: {@code {"id": …, "inputs": [{"name", "shape",
 * "datatype", "data"}, …]}}. Two layouts are understood: one tensor per signature field, shape
 * {@code [N]} or {@code [N, 1]} (MLServer's pandas codec), or a single tensor of shape {@code [N, F]}
 * holding the F fields in the signature's order. Data may be flat or nested (row-major).
 */
final class OpenInferenceProtocol {
    static final Set<String> DATATYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32",
            "INT64", "FP16", "FP32", "FP64", "BYTES");

    /** The parsed request: its rows and the client's id to echo. */
    record Request(String id, ParsedInput input) {}

    private final ObjectMapper mapper;

    OpenInferenceProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Request parse(byte[] body, List<String> signatureNames, int maxRows) {
        JsonNode root = MlflowProtocol.readJson(mapper, body);
        if (!root.isObject()) throw Problems.fatal("(request body)", JsonValues.kind(root), "a JSON object with an inputs array");
        JsonNode idNode = root.get("id");
        String id = idNode == null || idNode.isNull() ? null : idNode.asText();
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw Problems.fatal("inputs", JsonValues.kind(inputs), "a non-empty array of tensors {name, shape, datatype, data}");
        }
        Problems problems = new Problems();
        List<String> names = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        List<List<Object>> datas = new ArrayList<>();
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            String at = "inputs[" + t + "]";
            if (!tensor.isObject()) {
                problems.add(at, JsonValues.kind(tensor), "a tensor object {name, shape, datatype, data}");
                continue;
            }
            JsonNode name = tensor.get("name");
            JsonNode shape = tensor.get("shape");
            JsonNode datatype = tensor.get("datatype");
            JsonNode data = tensor.get("data");
            boolean ok = true;
            if (name == null || !name.isTextual()) {
                problems.add(at + ".name", JsonValues.scalar(name), "the tensor's name (a string)");
                ok = false;
            }
            if (datatype == null || !datatype.isTextual() || !DATATYPES.contains(datatype.textValue())) {
                problems.add(at + ".datatype", JsonValues.scalar(datatype), "one of " + String.join(", ", new java.util.TreeSet<>(DATATYPES)));
                ok = false;
            }
            long[] dims = shape(shape);
            if (dims == null) {
                problems.add(at + ".shape", shape == null ? null : shape.toString(), "an array of one or two non-negative integers");
                ok = false;
            }
            if (data == null || data.isNull() || data.isObject()) {
                problems.add(at + ".data", JsonValues.kind(data), "an array of values (flat or nested, row-major)");
                ok = false;
            }
            if (!ok) continue;
            List<Object> flat = new ArrayList<>();
            flatten(data, flat);
            long expected = 1;
            for (long d : dims) expected *= d;
            if (expected != flat.size()) {
                problems.add(at + ".data", flat.size() + " values", expected + " values, as shape " + shape + " says");
                continue;
            }
            int wrong = firstOfAnotherKind(datatype.textValue(), flat);
            if (wrong >= 0) {
                // The tensor's own declaration, not the model's signature: an INT64 tensor holds numbers.
                problems.add(name.textValue(), flat.get(wrong), elementKind(datatype.textValue())
                        + " (tensor " + at + " declares datatype " + datatype.textValue() + ")", dims.length == 1 ? wrong : wrong / (int) Math.max(1, dims[1]));
                continue;
            }
            names.add(name.textValue());
            shapes.add(dims);
            datas.add(flat);
        }
        problems.throwIfAny();
        if (names.size() == 1 && !signatureNames.contains(names.get(0)) && shapes.get(0).length == 2) {
            return new Request(id, positional(shapes.get(0), datas.get(0), maxRows));
        }
        long rows = shapes.get(0)[0];
        for (int t = 0; t < names.size(); t++) {
            long[] dims = shapes.get(t);
            if (dims[0] != rows || (dims.length == 2 && dims[1] != 1)) {
                problems.add("inputs[" + t + "].shape", java.util.Arrays.toString(dims),
                        "[" + rows + "] or [" + rows + ", 1]: one value per row, as many rows as the first input");
            }
        }
        problems.throwIfAny();
        if (rows > maxRows) throw Problems.tooManyRows((int) Math.min(rows, Integer.MAX_VALUE), maxRows);
        List<Map<String, Object>> out = new ArrayList<>((int) rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = new LinkedHashMap<>(Math.max(16, names.size() * 2));
            for (int t = 0; t < names.size(); t++) row.put(names.get(t), datas.get(t).get(r));
            out.add(row);
        }
        return new Request(id, ParsedInput.named(out));
    }

    private static ParsedInput positional(long[] dims, List<Object> data, int maxRows) {
        if (dims[0] > maxRows) throw Problems.tooManyRows((int) Math.min(dims[0], Integer.MAX_VALUE), maxRows);
        int rows = (int) dims[0];
        int width = (int) dims[1];
        List<List<Object>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) out.add(data.subList(r * width, (r + 1) * width));
        return ParsedInput.positional(out);
    }

    private static long[] shape(JsonNode shape) {
        if (shape == null || !shape.isArray() || shape.isEmpty() || shape.size() > 2) return null;
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || d.longValue() < 0 || d.longValue() > Integer.MAX_VALUE) return null;
            dims[i] = d.longValue();
        }
        return dims;
    }

    /** The index of the first element that is not of the kind {@code datatype} declares, or -1. */
    private static int firstOfAnotherKind(String datatype, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) continue;
            // BYTES carries any value (clients send mixed rows as one BYTES matrix); the model's
            // encoder converts it as it does every other value.
            boolean fits = switch (datatype) {
                case "BOOL" -> v instanceof Boolean;
                case "BYTES" -> true;
                default -> v instanceof Number;
            };
            if (!fits) return i;
        }
        return -1;
    }

    private static String elementKind(String datatype) {
        return datatype.equals("BOOL") ? "true or false" : "a number";
    }

    private static void flatten(JsonNode data, List<Object> out) {
        if (data.isArray()) {
            for (JsonNode v : data) {
                if (v.isArray()) flatten(v, out);
                else out.add(JsonValues.scalar(v));
            }
        } else {
            out.add(JsonValues.scalar(data));
        }
    }
}

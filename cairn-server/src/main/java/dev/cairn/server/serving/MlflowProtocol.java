package dev.cairn.server.serving;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.ErrorRenderer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's scoring protocol ({@code mlflow models serve}): {@code POST /invocations} with a JSON
 * body holding exactly one of {@code dataframe_split}, {@code dataframe_records}, {@code instances}
 * or {@code inputs} (plus optional {@code params}), or a CSV body with a header row; the answer is
 * {@code {"predictions": […]}}.
 */
final class MlflowProtocol {
    private static final Set<String> FORMATS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");
    private static final String EXPECTED_FORMAT =
            "a JSON object with one of dataframe_split, dataframe_records, instances or inputs (and optionally params)";

    private final ObjectMapper mapper;

    MlflowProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ParsedInput parse(byte[] body, String contentType, int maxRows) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("text/csv")) {
            return CsvRows.parse(new String(body, StandardCharsets.UTF_8), maxRows);
        }
        if (!type.isEmpty() && !type.startsWith("application/json") && !type.contains("+json")) {
            throw new CairnException(ErrorCode.BAD_REQUEST,
                    "Unsupported content type '" + contentType + "': expected application/json or text/csv",
                    Map.of("field", "Content-Type", "value", contentType, "expected", "application/json or text/csv"));
        }
        JsonNode root = readJson(mapper, body);
        if (!root.isObject()) {
            throw Problems.fatal("(request body)", JsonValues.kind(root), EXPECTED_FORMAT);
        }
        List<String> present = new ArrayList<>();
        Problems problems = new Problems();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (FORMATS.contains(e.getKey())) present.add(e.getKey());
            else if (!e.getKey().equals("params")) problems.add(e.getKey(), "(present)", "no field other than dataframe_split, dataframe_records, instances, inputs and params");
        }
        if (present.size() != 1) {
            problems.add("(request body)", present.isEmpty() ? "no input field" : String.join(", ", present), EXPECTED_FORMAT);
        }
        problems.throwIfAny();
        String format = present.get(0);
        JsonNode input = root.get(format);
        return switch (format) {
            case "dataframe_split" -> split(input, maxRows);
            case "dataframe_records" -> records(format, input, maxRows);
            default -> tensorLike(format, input, maxRows);
        };
    }

    static JsonNode readJson(ObjectMapper mapper, byte[] body) {
        if (body.length == 0) {
            throw new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is empty: expected a JSON object");
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is empty: expected a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw ErrorRenderer.fromJackson(e);
        } catch (java.io.IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    /** {@code {"columns": [...], "data": [[...], ...], "index": [...]}} (pandas' split orientation). */
    private static ParsedInput split(JsonNode split, int maxRows) {
        if (!split.isObject()) throw Problems.fatal("dataframe_split", JsonValues.kind(split), "an object with columns and data");
        JsonNode columns = split.get("columns");
        JsonNode data = split.get("data");
        Problems problems = new Problems();
        if (columns == null || !columns.isArray()) problems.add("dataframe_split.columns", JsonValues.kind(columns), "an array of column names");
        if (data == null || !data.isArray()) problems.add("dataframe_split.data", JsonValues.kind(data), "an array of rows, each an array of values");
        problems.throwIfAny();
        List<String> names = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            if (!c.isTextual()) problems.add("dataframe_split.columns[" + i + "]", JsonValues.scalar(c), "a column name (a string)");
            else names.add(c.textValue());
        }
        problems.throwIfAny();
        if (data.size() > maxRows) throw Problems.tooManyRows(data.size(), maxRows);
        List<Map<String, Object>> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.size() != names.size()) {
                problems.add("dataframe_split.data[" + r + "]", row.isArray() ? row.size() + " values" : JsonValues.kind(row),
                        "an array of " + names.size() + " values, one per column", r);
                continue;
            }
            Map<String, Object> values = new java.util.LinkedHashMap<>(Math.max(16, names.size() * 2));
            for (int i = 0; i < names.size(); i++) values.put(names.get(i), JsonValues.scalar(row.get(i)));
            rows.add(values);
        }
        problems.throwIfAny();
        return ParsedInput.named(rows);
    }

    private static ParsedInput records(String field, JsonNode records, int maxRows) {
        if (records.isObject()) {
            return ParsedInput.named(List.of(JsonValues.record(records)));
        }
        if (!records.isArray()) throw Problems.fatal(field, JsonValues.kind(records), "an array of objects, one per row");
        if (records.size() > maxRows) throw Problems.tooManyRows(records.size(), maxRows);
        Problems problems = new Problems();
        List<Map<String, Object>> rows = new ArrayList<>(records.size());
        for (int r = 0; r < records.size(); r++) {
            JsonNode row = records.get(r);
            if (!row.isObject()) problems.add(field + "[" + r + "]", JsonValues.kind(row), "an object of field values", r);
            else rows.add(JsonValues.record(row));
        }
        problems.throwIfAny();
        return ParsedInput.named(rows);
    }

    /**
     * {@code instances} and {@code inputs} (TensorFlow Serving's formats): a list of objects (rows),
     * a list of lists (rows in signature order), or an object of columns.
     */
    private static ParsedInput tensorLike(String field, JsonNode input, int maxRows) {
        if (input.isObject()) {
            return columns(field, input, maxRows);
        }
        if (!input.isArray() || input.isEmpty()) {
            throw Problems.fatal(field, input.isArray() ? "an empty array" : JsonValues.kind(input),
                    "a non-empty array of rows (objects or arrays) or an object of columns");
        }
        if (input.get(0).isObject()) {
            return records(field, input, maxRows);
        }
        if (input.size() > maxRows) throw Problems.tooManyRows(input.size(), maxRows);
        Problems problems = new Problems();
        List<List<Object>> rows = new ArrayList<>(input.size());
        for (int r = 0; r < input.size(); r++) {
            JsonNode row = input.get(r);
            if (!row.isArray()) problems.add(field + "[" + r + "]", JsonValues.kind(row), "an array of values in the signature's order", r);
            else rows.add(JsonValues.values(row));
        }
        problems.throwIfAny();
        return ParsedInput.positional(rows);
    }

    /** {@code {"age": [35, 40], "job": ["skilled", "unskilled"]}}: one array per column, all as long. */
    static ParsedInput columns(String field, JsonNode columns, int maxRows) {
        Problems problems = new Problems();
        int size = -1;
        String sizeFrom = null;
        for (Map.Entry<String, JsonNode> e : columns.properties()) {
            JsonNode c = e.getValue();
            int n = c.isArray() ? c.size() : 1;
            if (size < 0) {
                size = n;
                sizeFrom = e.getKey();
            } else if (n != size) {
                problems.add(field + "." + e.getKey(), n + " values", size + " values, as many as column '" + sizeFrom + "' has");
            }
        }
        problems.throwIfAny();
        if (size < 0) throw Problems.fatal(field, "an empty object", "an object of columns, one array of values per field");
        if (size > maxRows) throw Problems.tooManyRows(size, maxRows);
        List<Map<String, Object>> rows = new ArrayList<>(size);
        for (int r = 0; r < size; r++) rows.add(new java.util.LinkedHashMap<>());
        for (Map.Entry<String, JsonNode> e : columns.properties()) {
            JsonNode c = e.getValue();
            for (int r = 0; r < size; r++) {
                rows.get(r).put(e.getKey(), JsonValues.scalar(c.isArray() ? c.get(r) : c));
            }
        }
        return ParsedInput.named(rows);
    }
}

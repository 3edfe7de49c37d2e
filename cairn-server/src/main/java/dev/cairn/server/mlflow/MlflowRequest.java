package dev.cairn.server.mlflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.api.Actors;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One MLflow request message, read the way MLflow's server reads it: from the query string for
 * GET, from the JSON body otherwise (a DELETE or PATCH without a body falls back to the query
 * string). Fields are typed as in MLflow's protos: int64 fields accept a JSON number or a string
 * (the MLflow Java client sends strings), enums their name or number, and unknown fields are
 * ignored as protobuf's JSON parser does. Every error names the field, with MLflow's wording for
 * a missing required one.
 */
final class MlflowRequest {

    /** Largest JSON body read at all. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private static final String DOCS_HINT = " See the API docs for more information about request parameters.";

    private final ObjectNode fields;
    /** Values from a query string are all strings; repeated fields may come as a single value. */
    private final boolean fromQuery;
    /** How this message is named in errors: "" at the top, "metrics[3]." for an item. */
    private final String prefix;
    /** Who sent it, for the registry's audit log. */
    private final String actor;
    /** The authenticated principal's name when the server has login on, else null (nobody was verified). */
    private final String principal;

    private MlflowRequest(ObjectNode fields, boolean fromQuery, String prefix, String actor, String principal) {
        this.fields = fields;
        this.fromQuery = fromQuery;
        this.prefix = prefix;
        this.actor = actor;
        this.principal = principal;
    }

    private MlflowRequest(ObjectNode fields, boolean fromQuery) {
        this(fields, fromQuery, "", Actors.ANONYMOUS, null);
    }

    static MlflowRequest of(Context ctx, ObjectMapper mapper) {
        MlflowRequest request = read(ctx, mapper);
        String principal = dev.cairn.server.auth.AccessControl.principal(ctx).map(dev.cairn.core.auth.Principal::name).orElse(null);
        return new MlflowRequest(request.fields, request.fromQuery, "", Actors.from(ctx), principal);
    }

    private static MlflowRequest read(Context ctx, ObjectMapper mapper) {
        String method = ctx.method().name();
        if (method.equals("GET")) {
            return fromQuery(ctx);
        }
        byte[] body = readBody(ctx);
        if (isBlank(body) && (method.equals("DELETE") || method.equals("PATCH")) && !ctx.queryParamMap().isEmpty()) {
            return fromQuery(ctx);
        }
        return fromJson(body, mapper);
    }

    String actor() {
        return actor;
    }

    /** The verified caller with login on (a run's user is then who logged it, not what the client claims), else empty. */
    java.util.Optional<String> principal() {
        return java.util.Optional.ofNullable(principal);
    }

    static MlflowRequest fromJson(byte[] body, ObjectMapper mapper) {
        if (isBlank(body)) {
            return new MlflowRequest(JsonNodeFactory.instance.objectNode(), false);
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
            // Older clients post their JSON double-encoded as a string; MLflow decodes it again.
            if (node != null && node.isTextual()) {
                node = mapper.readTree(node.textValue());
            }
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            String reason = dev.cairn.server.ErrorRenderer.firstLine(e.getOriginalMessage());
            throw new CairnException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON in the request body" + where + ": " + reason);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.MALFORMED_REQUEST, "Could not read the request body as JSON");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new MlflowRequest(JsonNodeFactory.instance.objectNode(), false);
        }
        if (!node.isObject()) {
            throw new CairnException(ErrorCode.MALFORMED_REQUEST,
                    "The request body is a JSON " + jsonType(node) + ": expected a JSON object");
        }
        return new MlflowRequest((ObjectNode) node, false);
    }

    private static MlflowRequest fromQuery(Context ctx) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        // A repeated field comes as ?stages=A&stages=B or, from JavaScript-style clients, as
        // ?stages[]=A&stages[]=B: both are the field "stages".
        Map<String, List<String>> merged = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet()) {
            String key = entry.getKey().endsWith("[]") ? entry.getKey().substring(0, entry.getKey().length() - 2) : entry.getKey();
            merged.computeIfAbsent(key, k -> new ArrayList<>()).addAll(entry.getValue());
        }
        for (Map.Entry<String, List<String>> entry : merged.entrySet()) {
            List<String> values = entry.getValue();
            if (values.size() == 1) {
                fields.put(entry.getKey(), values.get(0));
            } else {
                ArrayNode array = fields.putArray(entry.getKey());
                values.forEach(array::add);
            }
        }
        return new MlflowRequest(fields, true);
    }

    private static byte[] readBody(Context ctx) {
        byte[] buffered = dev.cairn.server.auth.BufferedBody.bytes(ctx);
        try (InputStream in = buffered != null ? new java.io.ByteArrayInputStream(buffered) : ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new CairnException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes",
                        Map.of("limit", MAX_BODY_BYTES));
            }
            return bytes;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        }
        return true;
    }

    boolean has(String name) {
        JsonNode node = fields.get(name);
        return node != null && !node.isNull();
    }

    /** The field as the client wrote it, for error messages; null when absent. */
    String raw(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        return node.isTextual() ? node.textValue() : node.toString();
    }

    // ---- strings ----

    /** An optional string; null when absent. */
    String string(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) {
            String value = node.textValue();
            // PostgreSQL cannot store NUL in text, and no MLflow name or value needs one.
            if (value.indexOf('\0') >= 0) throw invalid(name, value.replace("\0", "\\0"), "a string without NUL characters");
            return value;
        }
        throw wrongType(name, node, "a string");
    }

    /** A string MLflow requires: absent, null and "" are all "missing", as in MLflow. */
    String requiredString(String name) {
        String value = string(name);
        if (value == null || value.isEmpty()) throw missing(name);
        return value;
    }

    /** A string that defaults to "" (protobuf's default for an unset string). */
    String stringOrEmpty(String name) {
        String value = string(name);
        return value == null ? "" : value;
    }

    /** {@code run_id}, or the deprecated {@code run_uuid} when only that is sent. */
    String requiredRunId() {
        String runId = string("run_id");
        if (runId == null || runId.isEmpty()) runId = string("run_uuid");
        if (runId == null || runId.isEmpty()) throw missing("run_id");
        return runId;
    }

    // ---- numbers ----

    /** An optional int64: a JSON integer or a string holding one. */
    Long int64(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
        if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw wrongType(name, node, "an integer (int64), as a JSON number or a string");
            }
        }
        throw wrongType(name, node, "an integer (int64), as a JSON number or a string");
    }

    long requiredInt64(String name) {
        Long value = int64(name);
        if (value == null) throw missing(name);
        return value;
    }

    long int64OrDefault(String name, long defaultValue) {
        Long value = int64(name);
        return value == null ? defaultValue : value;
    }

    /** An optional double: a JSON number, or a string holding one ("NaN" and "Infinity" included). */
    Double dbl(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        if (node.isNumber()) return node.doubleValue();
        if (node.isTextual()) {
            String text = node.textValue().trim();
            switch (text) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        if (!text.isEmpty() && !text.endsWith("d") && !text.endsWith("f")
                                && !text.endsWith("D") && !text.endsWith("F")) {
                            return Double.parseDouble(text);
                        }
                    } catch (NumberFormatException e) {
                        // falls through to the error below
                    }
            }
        }
        throw wrongType(name, node, "a number (double), as a JSON number or a string such as \"NaN\"");
    }

    double requiredDouble(String name) {
        Double value = dbl(name);
        if (value == null) throw missing(name);
        return value;
    }

    /** A bounded integer such as {@code max_results}. */
    int intInRange(String name, int defaultValue, int min, int max) {
        Long value = int64(name);
        if (value == null) return defaultValue;
        if (value < min || value > max) {
            throw invalid(name, value, "an integer from " + min + " to " + max);
        }
        return value.intValue();
    }

    Boolean bool(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        if (node.isBoolean()) return node.booleanValue();
        if (node.isTextual()) {
            String text = node.textValue().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true")) return true;
            if (text.equals("false")) return false;
        }
        throw wrongType(name, node, "a boolean (true or false)");
    }

    /** An enum by its name or its proto number (names[i] has number i + 1, as MLflow's enums do). */
    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        E[] constants = type.getEnumConstants();
        String expected = "one of " + String.join(", ", names(constants));
        if (node.isIntegralNumber() || (node.isTextual() && node.textValue().trim().matches("\\d+"))) {
            long number = node.isIntegralNumber() ? node.longValue() : Long.parseLong(node.textValue().trim());
            if (number >= 1 && number <= constants.length) return constants[(int) number - 1];
            throw invalid(name, number, expected);
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            for (E constant : constants) {
                if (constant.name().equals(text)) return constant;
            }
            throw invalid(name, text, expected);
        }
        throw wrongType(name, node, expected);
    }

    // ---- repeated fields ----

    /** A repeated string field; empty when absent. */
    List<String> stringList(String name) {
        JsonNode node = fields.get(name);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (fromQuery && node.isTextual()) {
            out.add(string(name));
            return out;
        }
        if (!node.isArray()) throw wrongType(name, node, "an array of strings");
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) throw wrongType(name + "[" + i + "]", item, "a string");
            if (item.textValue().indexOf('\0') >= 0) {
                throw invalid(name + "[" + i + "]", item.textValue().replace("\0", "\\0"), "a string without NUL characters");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** A repeated message field; each item is read with the same rules and named {@code name[i]}. */
    List<MlflowRequest> objectList(String name) {
        JsonNode node = fields.get(name);
        List<MlflowRequest> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw wrongType(name, node, "an array of JSON objects");
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isObject()) throw wrongType(name + "[" + i + "]", item, "a JSON object");
            out.add(new MlflowRequest((ObjectNode) item, false, prefix + name + "[" + i + "].", actor, principal));
        }
        return out;
    }

    /** A nested message field; null when absent. */
    MlflowRequest object(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) throw wrongType(name, node, "a JSON object");
        return new MlflowRequest((ObjectNode) node, false, prefix + name + ".", actor, principal);
    }

    /** Number of items in a repeated field, without reading them (for limit checks before parsing). */
    int count(String name) {
        JsonNode node = fields.get(name);
        return node != null && node.isArray() ? node.size() : 0;
    }

    // ---- errors ----

    CairnException missing(String name) {
        String field = prefix + name;
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Missing value for required parameter '" + field + "'." + DOCS_HINT,
                Map.of("field", field, "expected", "a value"));
    }

    CairnException invalid(String name, Object value, String expected) {
        String field = prefix + name;
        String rendered = value instanceof String s ? "'" + abbreviate(s) + "'" : String.valueOf(value);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("value", abbreviate(String.valueOf(value)));
        details.put("expected", expected);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid value " + rendered + " for parameter '" + field + "' supplied: expected " + expected + "." + DOCS_HINT,
                details);
    }

    private CairnException wrongType(String name, JsonNode node, String expected) {
        String field = prefix + name;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("value", abbreviate(node.toString()));
        details.put("expected", expected);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid value " + abbreviate(node.toString()) + " for parameter '" + field + "' supplied: expected "
                        + expected + ". Hint: Value was of type '" + jsonType(node) + "'." + DOCS_HINT,
                details);
    }

    private static String jsonType(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case OBJECT, POJO -> "object";
            case STRING, BINARY -> "string";
            case NULL, MISSING -> "null";
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static <E extends Enum<E>> List<String> names(E[] constants) {
        List<String> out = new ArrayList<>();
        for (E constant : constants) out.add(constant.name());
        return out;
    }
}

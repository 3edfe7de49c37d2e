package dev.cairn.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as the runtime takes them: strings, Long (or BigInteger beyond 64 bits), Double,
 * Boolean, null. Arrays and objects where a scalar belongs stay JSON text, so that validation
 * reports them with the value the client sent.
 */
final class JsonValues {
    private JsonValues() {}

    static Object scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        if (node.isNumber()) return node.doubleValue();
        return node.toString();
    }

    static Map<String, Object> record(JsonNode object) {
        Map<String, Object> row = new LinkedHashMap<>(Math.max(16, object.size() * 2));
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            row.put(e.getKey(), scalar(e.getValue()));
        }
        return row;
    }

    static List<Object> values(JsonNode array) {
        List<Object> values = new ArrayList<>(array.size());
        for (JsonNode v : array) values.add(scalar(v));
        return values;
    }

    /** What a node is, as an error message names it. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        if (node.isNull()) return "null";
        if (node.isObject()) return "an object";
        if (node.isArray()) return "an array";
        if (node.isTextual()) return "a string";
        if (node.isBoolean()) return "a boolean";
        return "a number";
    }
}

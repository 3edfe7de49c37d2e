package dev.cairn.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem with one input value: the field, the value received (null when missing), what was
 * expected, and the index of the row in a batch (0 for a single row).
 */
public record FieldError(String field, Object value, String expected, int row) {

    public FieldError(String field, Object value, String expected) {
        this(field, value, expected, 0);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", row);
        m.put("field", field);
        m.put("value", value == null ? null : String.valueOf(value));
        m.put("expected", expected);
        return m;
    }

    @Override
    public String toString() {
        String v = value == null ? "null" : value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        return "'" + field + "'" + (row > 0 ? " (row " + row + ")" : "") + ": got " + v + ", expected " + expected;
    }
}

package dev.cairn.runtime;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem with one input value: the field, the value received (null when missing), what was
 * expected, and the row's index in its batch ({@code row}, counted from 0 as a list index is).
 * Wherever a person or a client reads it, the row is numbered from 1: the first row of a request
 * or of a file's data is row 1, in {@link #toMap()} and {@link #toString()} alike.
 */
public record FieldError(String field, Object value, String expected, int row) {

    /** The field named when a problem concerns the whole row rather than one of its values. */
    public static final String ROW = "(row)";

    public FieldError(String field, Object value, String expected) {
        this(field, value, expected, 0);
    }

    /** The row as people count: 1 for the first. */
    public int rowNumber() {
        return row + 1;
    }

    @JsonValue
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", rowNumber());
        m.put("field", field);
        m.put("value", value == null ? null : String.valueOf(value));
        m.put("expected", expected);
        return m;
    }

    @Override
    public String toString() {
        String v = value == null ? "null" : value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        return "row " + rowNumber() + ", '" + field + "': got " + v + ", expected " + expected;
    }
}

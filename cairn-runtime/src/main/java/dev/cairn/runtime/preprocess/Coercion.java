package dev.cairn.runtime.preprocess;

import dev.cairn.core.schema.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The type coercion rules of model inputs (documented in docs/model-package.md). Strict on purpose:
 * a string is never parsed as a number, so {@code "4"} for an INTEGER field is an error — a client
 * sending strings for numbers has a bug that silent parsing would hide.
 * <ul>
 *   <li>INTEGER: any integral Java number; a floating-point number only if it has no fraction (JSON
 *       parsers may hand {@code 4.0}).</li>
 *   <li>DOUBLE: any finite Java number.</li>
 *   <li>BOOLEAN: {@link Boolean} only; encoded 1 / 0.</li>
 *   <li>STRING: any {@link CharSequence}.</li>
 *   <li>TIMESTAMP: {@link Instant}, {@link java.util.Date}, integral epoch milliseconds, or an
 *       ISO-8601 string; encoded as epoch milliseconds.</li>
 * </ul>
 * Categorical values are compared by their canonical text: the string itself, an integer's
 * decimal digits, {@code true}/{@code false}.
 */
public final class Coercion {
    private Coercion() {
    }

    /** Marker for a value of the wrong type; NaN is reserved for missing. */
    public static final double INVALID = Double.NEGATIVE_INFINITY;

    public static String expected(FieldType type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case DOUBLE -> "a finite number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case TIMESTAMP -> "a timestamp (epoch milliseconds or ISO-8601)";
        };
    }

    /** The numeric value of a non-null input, or {@link #INVALID} when the type does not fit. */
    public static double toDouble(FieldType type, Object v) {
        switch (type) {
            case DOUBLE -> {
                if (v instanceof Number n) {
                    double d = n.doubleValue();
                    return Double.isFinite(d) ? d : INVALID;
                }
                return INVALID;
            }
            case INTEGER -> {
                if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).doubleValue();
                }
                if (v instanceof BigInteger b) return b.bitLength() < 64 ? b.doubleValue() : INVALID;
                if (v instanceof BigDecimal b) {
                    try {
                        return b.longValueExact();
                    } catch (ArithmeticException e) {
                        return INVALID;
                    }
                }
                if (v instanceof Double || v instanceof Float) {
                    double d = ((Number) v).doubleValue();
                    return Double.isFinite(d) && d == Math.rint(d) ? d : INVALID;
                }
                return INVALID;
            }
            case BOOLEAN -> {
                return v instanceof Boolean b ? (b ? 1.0 : 0.0) : INVALID;
            }
            case TIMESTAMP -> {
                return switch (v) {
                    case Instant i -> i.toEpochMilli();
                    case java.util.Date d -> d.getTime();
                    case Long l -> l;
                    case Integer i -> i;
                    case CharSequence s -> parseTimestamp(s.toString());
                    default -> INVALID;
                };
            }
            default -> {
                return INVALID;
            }
        }
    }

    private static double parseTimestamp(String s) {
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return INVALID;
            }
        }
    }

    /** The canonical text of a non-null categorical input, or null when the type does not fit. */
    public static String toCategory(FieldType type, Object v) {
        if (type == FieldType.STRING) return v instanceof CharSequence s ? s.toString() : null;
        double d = toDouble(type, v);
        if (d == INVALID) return null;
        return switch (type) {
            case BOOLEAN -> d == 1.0 ? "true" : "false";
            case INTEGER, TIMESTAMP -> Long.toString((long) d);
            default -> d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        };
    }
}

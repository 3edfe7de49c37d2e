package dev.cairn.runtime.preprocess;

import dev.cairn.core.schema.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one set of rules by which a value reaches a model input's type, whatever carried it: a JSON
 * number or string, a CSV cell (always text), an Open Inference Protocol tensor element, a JDBC
 * column value, a Parquet cell read through DuckDB, or a Java object handed to the runtime. Every
 * entry point passes values through unchanged and lets the encoder apply these rules, so a value is
 * accepted or refused the same way on every path (documented in docs/model-package.md).
 * <ul>
 *   <li>Missing: null, a blank text, or a floating-point NaN (pandas' and JSON's "no value").</li>
 *   <li>INTEGER: a whole number of any Java type (a float only without a fraction), or text that
 *       is a whole decimal number ({@code "6"}, {@code "6.0"}).</li>
 *   <li>DOUBLE: any finite number, or text that is a decimal number ({@code "2.5"}, {@code "1e3"}).</li>
 *   <li>BOOLEAN: a {@link Boolean}, the number 0 or 1, or the text DuckDB casts to a boolean, in any
 *       letter case: true/false, t/f, yes/no, y/n, 1/0. Cairn's CSV reader types a column BOOLEAN only
 *       for true/false (pandas' rule), so a yes/no column is text; but a model whose signature says
 *       BOOLEAN for yes/no data (trained before that rule) still accepts its training data's values.</li>
 *   <li>STRING: text; a whole number or a boolean is taken as its canonical text, so a code sent
 *       as the JSON number {@code 4} matches the category {@code "4"}.</li>
 *   <li>TIMESTAMP: an {@link Instant}, {@link java.util.Date}, {@link LocalDate} (midnight UTC),
 *       {@link LocalDateTime} (UTC), {@link OffsetDateTime}, {@link ZonedDateTime}, whole epoch
 *       milliseconds, or ISO-8601 text; encoded as epoch milliseconds.</li>
 * </ul>
 * Categorical values are compared by their canonical text: the string itself, an integer's decimal
 * digits, {@code true}/{@code false}.
 */
public final class Coercion {
    private Coercion() {
    }

    /** Marker for a value of the wrong type; NaN is reserved for missing. */
    public static final double INVALID = Double.NEGATIVE_INFINITY;

    /** A plain decimal number: what CSV files and JSON strings hold. No hex, no type suffixes, no NaN. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    public static String expected(FieldType type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case DOUBLE -> "a finite number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case TIMESTAMP -> "a timestamp (epoch milliseconds or ISO-8601)";
        };
    }

    /** Whether a value counts as missing: null, blank text, or NaN. */
    public static boolean isMissing(Object v) {
        // The common cases first, without the type switch's dispatch: this runs for every value of every row.
        if (v == null) return true;
        if (v instanceof String s) {
            // A first character that is printable ASCII is not whitespace: the text is not blank, without a scan.
            if (!s.isEmpty() && s.charAt(0) > ' ' && s.charAt(0) < 0x7f) return false;
            return s.isBlank();
        }
        if (v instanceof Long || v instanceof Boolean || v instanceof Integer) return false;
        return switch (v) {
            case null -> true;
            case CharSequence s -> s.toString().isBlank();
            case Double d -> d.isNaN();
            case Float f -> f.isNaN();
            default -> false;
        };
    }

    /** The numeric value of a non-missing input, or {@link #INVALID} when it does not fit the type. */
    public static double toDouble(FieldType type, Object v) {
        // Fast paths for the values columnar readers hand over, with the same results as the switch below.
        if (type == FieldType.INTEGER && v instanceof Long l) return l;
        if (type == FieldType.DOUBLE && v instanceof Double d) return finite(d);
        if (type == FieldType.BOOLEAN && v instanceof Boolean b) return b ? 1.0 : 0.0;
        return switch (type) {
            case DOUBLE -> switch (v) {
                case Number n -> finite(n.doubleValue());
                case CharSequence s -> parseDecimal(s.toString().strip());
                default -> INVALID;
            };
            case INTEGER -> switch (v) {
                case CharSequence s -> wholeText(s.toString().strip());
                case Number n -> whole(n);
                default -> INVALID;
            };
            case BOOLEAN -> switch (v) {
                case Boolean b -> b ? 1.0 : 0.0;
                case CharSequence s -> switch (s.toString().strip().toLowerCase(Locale.ROOT)) {
                    case "true", "t", "yes", "y", "1" -> 1.0;
                    case "false", "f", "no", "n", "0" -> 0.0;
                    default -> INVALID;
                };
                case Number n -> {
                    double d = whole(n);
                    yield d == 0.0 || d == 1.0 ? d : INVALID;
                }
                default -> INVALID;
            };
            case TIMESTAMP -> timestamp(v);
            case STRING -> INVALID;
        };
    }

    /** The canonical text of a non-missing categorical input, or null when the type does not fit. */
    public static String toCategory(FieldType type, Object v) {
        if (type == FieldType.STRING && v instanceof String s) return s;
        if (type == FieldType.STRING) {
            return switch (v) {
                case CharSequence s -> s.toString();
                case Boolean b -> b.toString();
                case Number n -> {
                    double d = whole(n);
                    yield d == INVALID ? null : Long.toString((long) d);
                }
                default -> null;
            };
        }
        double d = toDouble(type, v);
        if (d == INVALID) return null;
        return switch (type) {
            case BOOLEAN -> d == 1.0 ? "true" : "false";
            case INTEGER, TIMESTAMP -> Long.toString((long) d);
            default -> d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        };
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : INVALID;
    }

    private static double parseDecimal(String s) {
        if (!DECIMAL.matcher(s).matches()) return INVALID;
        return finite(Double.parseDouble(s));
    }

    private static double wholeText(String s) {
        if (!DECIMAL.matcher(s).matches()) return INVALID;
        try {
            return new BigDecimal(s).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return INVALID;
        }
    }

    private static double whole(Number n) {
        return switch (n) {
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger b -> b.bitLength() < 64 ? b.doubleValue() : INVALID;
            case BigDecimal b -> {
                try {
                    yield b.longValueExact();
                } catch (ArithmeticException e) {
                    yield INVALID;
                }
            }
            default -> {
                double d = n.doubleValue();
                yield Double.isFinite(d) && d == Math.rint(d) ? d : INVALID;
            }
        };
    }

    private static double timestamp(Object v) {
        return switch (v) {
            case Instant i -> i.toEpochMilli();
            case java.util.Date d -> d.getTime();
            case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            case LocalDateTime d -> d.toInstant(ZoneOffset.UTC).toEpochMilli();
            case OffsetDateTime d -> d.toInstant().toEpochMilli();
            case ZonedDateTime d -> d.toInstant().toEpochMilli();
            case Number n -> whole(n);
            case CharSequence s -> parseTimestamp(s.toString().strip());
            default -> INVALID;
        };
    }

    private static double parseTimestamp(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) return wholeText(s);
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            // not an instant with Z; try the other ISO-8601 forms below
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // no offset
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // no time
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return INVALID;
        }
    }
}

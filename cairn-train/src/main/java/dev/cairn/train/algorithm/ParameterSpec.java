package dev.cairn.train.algorithm;

import dev.cairn.core.error.CairnException;
import java.util.List;

/**
 * One parameter an algorithm knows: its type, default and allowed values. {@link #parse} turns the
 * text a user gave into the typed value or refuses it naming the parameter, the value and the range.
 */
public record ParameterSpec(String name, Kind kind, Object defaultValue, Double min, boolean minExclusive, Double max,
                            List<String> choices, String description) {

    public enum Kind { INTEGER, DOUBLE, CHOICE }

    public static ParameterSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParameterSpec(name, Kind.INTEGER, defaultValue, (double) min, false, (double) max, null, description);
    }

    public static ParameterSpec real(String name, double defaultValue, double min, boolean minExclusive, Double max, String description) {
        return new ParameterSpec(name, Kind.DOUBLE, defaultValue, min, minExclusive, max, null, description);
    }

    public static ParameterSpec choice(String name, String defaultValue, List<String> choices, String description) {
        return new ParameterSpec(name, Kind.CHOICE, defaultValue, null, false, null, List.copyOf(choices), description);
    }

    /** The allowed range in words, as error messages show it. */
    public String allowed() {
        return switch (kind) {
            case CHOICE -> "one of " + String.join(", ", choices);
            case INTEGER -> "an integer in [" + (long) min.doubleValue() + ", " + (long) max.doubleValue() + "]";
            case DOUBLE -> "a number in " + (minExclusive ? "(" : "[") + format(min) + ", "
                    + (max == null ? "∞)" : format(max) + "]");
        };
    }

    public Object parse(Object raw) {
        String text = String.valueOf(raw).trim();
        switch (kind) {
            case CHOICE -> {
                if (!choices.contains(text)) throw CairnException.invalid(name, raw, allowed());
                return text;
            }
            case INTEGER -> {
                long value;
                try {
                    double d = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                    if (d != Math.rint(d) || Double.isInfinite(d)) throw new NumberFormatException();
                    value = (long) d;
                } catch (NumberFormatException e) {
                    throw CairnException.invalid(name, raw, allowed());
                }
                if (value < min || value > max) throw CairnException.invalid(name, raw, allowed());
                return value;
            }
            default -> {
                double value;
                try {
                    value = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw CairnException.invalid(name, raw, allowed());
                }
                boolean belowMin = minExclusive ? value <= min : value < min;
                if (Double.isNaN(value) || belowMin || (max != null && value > max) || Double.isInfinite(value)) {
                    throw CairnException.invalid(name, raw, allowed());
                }
                return value;
            }
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

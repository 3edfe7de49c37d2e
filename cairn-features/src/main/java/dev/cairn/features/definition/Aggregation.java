package dev.cairn.features.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The window aggregations of a feature view: over the rows of a window (t - window, t]. */
public enum Aggregation {
    /** Rows in the window (or non-null values of {@code column}); 0 for an empty window. */
    COUNT,
    /** 0 for an empty window. */
    SUM,
    /** Null for an empty window. */
    MEAN,
    MIN,
    MAX;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The aggregation a definition names, or null. */
    public static Aggregation parse(String text) {
        if (text == null) return null;
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("avg") || t.equals("average")) return MEAN;
        for (Aggregation a : values()) if (a.label().equals(t)) return a;
        return null;
    }

    public static String labels() {
        return Arrays.stream(values()).map(Aggregation::label).collect(Collectors.joining(", "));
    }
}

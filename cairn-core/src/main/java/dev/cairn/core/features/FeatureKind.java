package dev.cairn.core.features;

import java.util.Locale;

/** The kinds of feature definitions, as their YAML sections name them. */
public enum FeatureKind {
    /** What features describe (a customer), with the columns that identify one (its join keys). */
    ENTITY("entity"),
    /** Where feature rows come from (a file or a JDBC table or query), with their event-time column. */
    SOURCE("source"),
    /** Features of one or more entities computed from one source: columns, SQL expressions, window aggregations. */
    FEATURE_VIEW("feature view"),
    /** The features one model uses, drawn from feature views. */
    FEATURE_SERVICE("feature service");

    private final String label;

    FeatureKind(String label) {
        this.label = label;
    }

    /** For messages: "feature view". */
    public String label() {
        return label;
    }

    /** For messages: "an entity", "a feature view". */
    public String withArticle() {
        return (this == ENTITY ? "an " : "a ") + label;
    }

    /** The kind whose {@link #name()} or {@link #label()} is {@code text}, in any letter case; null when none. */
    public static FeatureKind parse(String text) {
        if (text == null) return null;
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        for (FeatureKind kind : values()) if (kind.label.equals(t)) return kind;
        return null;
    }
}

package dev.cairn.core.schema;

import java.util.List;

/**
 * One column of a dataset schema or one input of a model signature: its type, whether it may be
 * missing, and what values are expected — a categorical {@code domain} (null when not
 * categorical) or a numeric range {@code [min, max]} (either bound null when open).
 */
public record Field(String name, FieldType type, boolean nullable, List<String> domain, Double min, Double max,
                    String description) {

    public static Field of(String name, FieldType type, boolean nullable) {
        return new Field(name, type, nullable, null, null, null, null);
    }

    public boolean isCategorical() {
        return domain != null;
    }
}

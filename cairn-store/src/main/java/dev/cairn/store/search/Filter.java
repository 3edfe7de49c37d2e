package dev.cairn.store.search;

import java.util.List;

/**
 * A parsed search filter: MLflow's conjunction of comparisons, extended with {@code OR} and
 * parentheses ({@code AND} binds tighter than {@code OR}).
 */
public sealed interface Filter {

    record And(List<Filter> parts) implements Filter {}

    record Or(List<Filter> parts) implements Filter {}

    /**
     * {@code entity.key comparator value}. {@code entity} is the canonical entity name ("metric",
     * "param", "tag", "attribute", "dataset"); {@code value} is a {@link String}, a
     * {@link java.math.BigDecimal} or a list of strings (IN, NOT IN).
     */
    record Comparison(String entity, String key, String comparator, Object value, String identifierText, int position)
            implements Filter {}
}

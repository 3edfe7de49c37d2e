package dev.cairn.features.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * One feature of a view: a source column as it is, a SQL expression over a source row, or an aggregation of a column
 * (or expression) over a window of the entity's rows.
 */
public sealed interface Feature permits Feature.Column, Feature.Expression, Feature.Aggregate {

    String name();

    /** The value as of a time is the latest row's (at or before it, within the view's TTL). */
    record Column(String name, String column) implements Feature {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(column, "column");
        }
    }

    /** A DuckDB SQL expression over the source's columns ({@code amount * 100}), taken from the latest row. */
    record Expression(String name, String sql) implements Feature {
        public Expression {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /**
     * {@code function} of {@code column} (or of the expression {@code sql}; neither: count rows) over the entity's rows
     * whose event time is in (t - window, t].
     */
    record Aggregate(String name, Aggregation function, String column, String sql, Duration window) implements Feature {
        public Aggregate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(window, "window");
            if (column != null && sql != null) throw new IllegalArgumentException("a column or an expression, not both");
        }
    }
}

package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;

/**
 * A DuckDB query that Cairn itself composed (never text from a request), materialised as the
 * relation every other reader works on: monitoring flattens a window of the prediction log's
 * Parquet segments into typed feature columns this way, then profiles it like any dataset.
 * {@code description} names it in messages and in the profile's {@code source}.
 */
public record QuerySource(String description, String sql) implements DataSource {
    public QuerySource {
        if (sql == null || sql.isBlank()) throw CairnException.invalid("sql", sql, "a DuckDB SELECT");
        if (description == null || description.isBlank()) description = "query";
    }

    @Override
    public String describe() {
        return description;
    }
}

package dev.cairn.data.source;

/**
 * Where a dataset comes from: a file read through embedded DuckDB, or a JDBC table or query
 * streamed into it. Every source ends up as one DuckDB relation (see {@link DataReader}).
 */
public sealed interface DataSource permits FileSource, JdbcSource, QuerySource {

    /** A short human name for messages and reports: the file path or the JDBC URL and query. */
    String describe();
}

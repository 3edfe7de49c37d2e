package dev.cairn.data.source;

/** Where {@link DataReader} keeps the table a source is loaded into. */
public enum TableStorage {
    /** A database file in the table's temporary directory: compressed as it is written, for sources of any size. */
    DISK,
    /**
     * An in-memory database: no compression nor file to write, which was a third of the time of loading a query's
     * rows. Beyond DuckDB's memory limit its blocks spill to the temporary directory, so a large source still loads.
     */
    MEMORY
}

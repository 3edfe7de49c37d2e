package dev.cairn.store.sql;

/** What differs between the SQL databases Cairn stores metadata in. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** Where this dialect's Flyway migrations live on the classpath. */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /** Locks the rows read, where the database has row locks (PostgreSQL); SQLite serialises writers. */
    public String forUpdate() {
        return this == POSTGRESQL ? " FOR UPDATE" : "";
    }

    /**
     * A case-insensitive LIKE. SQLite has no ILIKE; its connections run with
     * {@code case_sensitive_like} on so that plain LIKE matches PostgreSQL's.
     */
    public String ilike(String column) {
        return this == POSTGRESQL ? column + " ILIKE ?" : "LOWER(" + column + ") LIKE LOWER(?)";
    }
}

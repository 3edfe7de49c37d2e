package dev.cairn.store.sql;

/** What differs between the SQL databases Cairn stores metadata in. */
public enum Dialect {
    SQLITE("sqlite", 9),
    POSTGRESQL("postgresql", 8);

    private final String migrationFolder;
    private final int latestSchemaVersion;

    Dialect(String migrationFolder, int latestSchemaVersion) {
        this.migrationFolder = migrationFolder;
        this.latestSchemaVersion = latestSchemaVersion;
    }

    /**
     * The highest migration version in {@link #migrationLocation()} (a test checks that it matches
     * the files): a database already there is opened without starting Flyway.
     */
    public int latestSchemaVersion() {
        return latestSchemaVersion;
    }

    public String migrationFolder() {
        return migrationFolder;
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

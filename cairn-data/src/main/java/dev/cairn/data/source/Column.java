package dev.cairn.data.source;

/** One column of a loaded source: its name, DuckDB type and how it is profiled. */
public record Column(String name, String duckType, ColumnKind kind) {

    /** The column's name quoted for DuckDB SQL. */
    public String sql() {
        return Sql.identifier(name);
    }

    public boolean isFloatingPoint() {
        return duckType.equalsIgnoreCase("DOUBLE") || duckType.equalsIgnoreCase("FLOAT") || duckType.equalsIgnoreCase("REAL");
    }
}

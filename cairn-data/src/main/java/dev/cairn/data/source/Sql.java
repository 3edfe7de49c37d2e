package dev.cairn.data.source;

/** Quoting for the SQL that Cairn generates: identifiers and string literals, nothing else. */
public final class Sql {
    private Sql() {}

    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}

package dev.cairn.data.source;

import dev.cairn.core.schema.FieldType;
import java.util.Locale;

/** How a column is profiled, from its DuckDB type. */
public enum ColumnKind {
    NUMERIC,
    BOOLEAN,
    STRING,
    TEMPORAL;

    public static ColumnKind ofDuckType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL") || t.equals("TINYINT") || t.equals("SMALLINT") || t.equals("INTEGER")
                || t.equals("BIGINT") || t.equals("HUGEINT") || t.startsWith("UTINYINT") || t.startsWith("USMALLINT")
                || t.startsWith("UINTEGER") || t.startsWith("UBIGINT") || t.equals("FLOAT") || t.equals("DOUBLE")
                || t.equals("REAL")) {
            return NUMERIC;
        }
        if (t.equals("BOOLEAN")) return BOOLEAN;
        if (t.startsWith("DATE") || t.startsWith("TIMESTAMP") || t.startsWith("TIME")) return TEMPORAL;
        return STRING;
    }

    /** The Cairn field type a DuckDB column type maps to. */
    public static FieldType fieldType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        return switch (ofDuckType(duckType)) {
            case NUMERIC -> t.equals("FLOAT") || t.equals("DOUBLE") || t.equals("REAL") || t.startsWith("DECIMAL")
                    ? FieldType.DOUBLE : FieldType.INTEGER;
            case BOOLEAN -> FieldType.BOOLEAN;
            case TEMPORAL -> FieldType.TIMESTAMP;
            case STRING -> FieldType.STRING;
        };
    }
}

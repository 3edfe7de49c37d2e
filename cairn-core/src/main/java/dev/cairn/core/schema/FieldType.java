package dev.cairn.core.schema;

/** The logical types Cairn's schemas and model signatures use. */
public enum FieldType {
    BOOLEAN,
    /** 64-bit signed integer. */
    INTEGER,
    /** 64-bit floating point. */
    DOUBLE,
    STRING,
    /** An instant, epoch milliseconds or ISO-8601 on the wire. */
    TIMESTAMP
}

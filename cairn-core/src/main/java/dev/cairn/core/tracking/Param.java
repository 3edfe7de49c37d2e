package dev.cairn.core.tracking;

/** A run parameter. Immutable once logged: logging another value for the same key is an error. */
public record Param(String key, String value) {}

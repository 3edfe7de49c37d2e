package dev.cairn.data.source;

/** A CSV line that could not be read: skipped, counted and reported, never a crash. */
public record MalformedRow(long line, String column, String error, String text) {}

package dev.cairn.data.profile;

/** A value and how often it occurs (an estimate from a frequent-items sketch beyond its exact range). */
public record ValueCount(String value, long count) {}

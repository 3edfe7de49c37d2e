package dev.cairn.core.tracking;

/** One point of a metric's history. {@code timestamp} is epoch milliseconds; {@code step} orders points. */
public record Metric(String key, double value, long timestamp, long step) {}

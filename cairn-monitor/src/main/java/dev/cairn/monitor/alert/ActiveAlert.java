package dev.cairn.monitor.alert;

import java.time.Instant;

/**
 * An alert firing now, for status pages: the rule as it was when it last breached, the latest breaching
 * value and window, and since when it fires ({@code since}: the start of the window that made it fire).
 */
public record ActiveAlert(String deployment, String model, String modelVersion, String rule, AlertSeverity severity,
                          String metric, Comparison comparison, double threshold, Double value, Instant since,
                          Instant windowStart, Instant windowEnd, String description) {}

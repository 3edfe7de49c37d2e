package dev.cairn.monitor.alert;

import dev.cairn.monitor.WindowMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Daily windows of deployment "credit" for tests. */
final class Windows {
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final String DEPLOYMENT = "credit";

    private Windows() {}

    static Instant day(int i) {
        return T0.plus(Duration.ofDays(i));
    }

    /** Window {@code i} ([day i, day i+1)) with {@code metric} = {@code value}; a null value leaves the metric out. */
    static WindowMetrics window(int i, String metric, Double value) {
        return new WindowMetrics(DEPLOYMENT, "credit-risk", "3", day(i), day(i + 1),
                value == null ? Map.of("volume.rows", 100.0) : Map.of("volume.rows", 100.0, metric, value));
    }

    /** Consecutive windows from day 0, one per value (null: metric absent). */
    static List<WindowMetrics> series(String metric, Double... values) {
        List<WindowMetrics> windows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) windows.add(window(i, metric, values[i]));
        return windows;
    }
}

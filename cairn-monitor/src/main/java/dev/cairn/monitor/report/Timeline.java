package dev.cairn.monitor.report;

import dev.cairn.monitor.WindowMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The x axis the report's charts share: a slot per window with data, in time order, placed at its start,
 * and an empty slot (null) where windows are missing between two others, so every line breaks there
 * instead of bridging a period nothing was measured in.
 */
record Timeline(List<WindowMetrics> slots, List<Double> x, List<String> labels) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** {@code windows} in time order (as {@link MonitoringReport} keeps them). */
    static Timeline of(List<WindowMetrics> windows) {
        // Whole days label as dates; anything finer (hours, minutes) needs the time too.
        boolean days = windows.stream().allMatch(w -> w.start().getEpochSecond() % 86_400 == 0 && w.start().getNano() == 0
                && Duration.between(w.start(), w.end()).toSeconds() % 86_400 == 0);
        DateTimeFormatter format = days ? DAY : MINUTE;
        List<WindowMetrics> slots = new ArrayList<>();
        List<Double> x = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Instant previousEnd = null;
        for (WindowMetrics w : windows) {
            if (previousEnd != null && w.start().isAfter(previousEnd)) {
                slots.add(null);
                x.add(seconds(previousEnd));
                labels.add("");
            }
            slots.add(w);
            x.add(seconds(w.start()));
            labels.add(format.format(w.start()));
            previousEnd = previousEnd == null || w.end().isAfter(previousEnd) ? w.end() : previousEnd;
        }
        return new Timeline(Collections.unmodifiableList(slots), List.copyOf(x), List.copyOf(labels));
    }

    /** The metric's value per slot; null where the window has none or there is no window. */
    List<Double> values(String metric) {
        List<Double> values = new ArrayList<>(slots.size());
        for (WindowMetrics w : slots) values.add(w == null ? null : w.get(metric));
        return values;
    }

    /** A constant per slot, e.g. a threshold drawn across the whole period. */
    List<Double> constant(Double value) {
        return Collections.nCopies(slots.size(), value);
    }

    boolean has(String metric) {
        return slots.stream().anyMatch(w -> w != null && w.get(metric) != null);
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}

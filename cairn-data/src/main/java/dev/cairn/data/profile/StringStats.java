package dev.cairn.data.profile;

import java.util.List;

/**
 * Statistics of a string (or boolean, or date/time) column. {@code distinct} is exact when
 * {@code distinctExact}, else an HLL estimate; {@code topValues} holds up to 100 most frequent
 * values (all of them when the column has at most 100 distinct values and the sketch is exact).
 */
public record StringStats(
        long distinct,
        boolean distinctExact,
        List<ValueCount> topValues,
        Double avgLength,
        Long minLength,
        Long maxLength,
        long totalLength,
        String min,
        String max) {}

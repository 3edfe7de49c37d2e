package dev.cairn.data.profile;

import java.util.List;

/**
 * Bins by their edges ({@code counts.size() + 1} of them) and the number of values in each, whole
 * numbers. {@code approximate} is true when the counts come from a KLL sketch that has compacted
 * (more values than it keeps); then each count is within {@code countError} of the exact one (the
 * sketch's normalized PMF error, {@link ReproducibleKll#PMF_ERROR}, times the number of values, with
 * 99% confidence). Exact histograms have a {@code countError} of 0.
 */
public record Histogram(List<Double> edges, List<Double> counts, boolean approximate, long countError) {
    public Histogram {
        edges = List.copyOf(edges);
        counts = counts.stream().map(c -> (double) Math.round(c)).toList();
    }

    /** An exact histogram. */
    public Histogram(List<Double> edges, List<Double> counts) {
        this(edges, counts, false, 0);
    }
}

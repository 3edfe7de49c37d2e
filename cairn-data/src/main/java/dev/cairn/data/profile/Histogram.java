package dev.cairn.data.profile;

import java.util.List;

/** Bins by their edges ({@code counts.size() + 1} of them) and the number of values in each. */
public record Histogram(List<Double> edges, List<Double> counts) {
    public Histogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
    }
}

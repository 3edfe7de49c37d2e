package dev.cairn.train.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** The configurations a search tries, in a fixed order for a given space and seed. */
public final class Candidates {
    private static final int MAX_GRID = 10_000;

    private Candidates() {}

    public static List<Map<String, Object>> of(SearchSpace space) {
        return switch (space.strategy()) {
            case "grid" -> grid(space);
            case "halving" -> space.dimensions().stream().allMatch(d -> d instanceof Dimension.Choice)
                    && space.gridSize() <= space.trials() ? grid(space) : random(space);
            default -> random(space);
        };
    }

    /** Every combination of the listed values, the first dimension varying slowest. */
    public static List<Map<String, Object>> grid(SearchSpace space) {
        if (space.gridSize() > MAX_GRID) {
            throw dev.cairn.core.error.CairnException.invalid("params", space.gridSize() + " grid points",
                    "at most " + MAX_GRID + " (use strategy: random)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Dimension d : space.dimensions()) {
            List<Object> values = ((Dimension.Choice) d).values();
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : values) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(d.name(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code trials} samples from the space (fewer when a small discrete space runs out of distinct points). */
    public static List<Map<String, Object>> random(SearchSpace space) {
        Random random = new Random(space.seed());
        Set<Map<String, Object>> out = new LinkedHashSet<>();
        int attempts = 0;
        while (out.size() < space.trials() && attempts++ < space.trials() * 20) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Dimension d : space.dimensions()) m.put(d.name(), d.sample(random));
            out.add(m);
        }
        return List.copyOf(out);
    }
}

package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rows divided by one column, for slices and fairness groups: one group per value of a text
 * column, or per bucket of a numeric column. A spec is {@code purpose} (values; numbers in
 * quartile buckets) or {@code age:25,40,60} (buckets {@code <25}, {@code 25–40}, {@code 40–60},
 * {@code >=60}). Missing values form their own group.
 */
public record Grouping(String column, List<String> groups, int[] groupOfRow) {
    public static final String MISSING = "(missing)";

    /** {@code role} names the option in errors: {@code slice} or {@code sensitive}. */
    public static Grouping of(Frame frame, String spec, String role) {
        String text = spec == null ? "" : spec.trim();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon).trim();
        if (name.isEmpty()) throw CairnException.invalid(role, spec, "a column name, optionally with bucket edges (age:25,40,60)");
        if (!frame.has(name)) {
            throw CairnException.invalid(role, name, "one of the evaluation data's columns " + frame.names());
        }
        Column column = frame.column(name, role);
        if (colon >= 0) {
            if (!(column instanceof Column.Numeric numeric)) {
                throw CairnException.invalid(role, spec, "bucket edges only for a numeric column ('" + name + "' holds text)");
            }
            return buckets(name, numeric, edges(spec, text.substring(colon + 1), role));
        }
        if (column instanceof Column.Numeric numeric) {
            TreeSet<Double> distinct = new TreeSet<>();
            for (double v : numeric.values()) if (!Double.isNaN(v)) distinct.add(v);
            if (distinct.size() <= 10) return values(name, numeric);
            return buckets(name, numeric, quartiles(numeric.values()));
        }
        return values(name, column);
    }

    private static Grouping values(String name, Column column) {
        TreeMap<String, Integer> index = new TreeMap<>();
        String[] keys = new String[column.size()];
        for (int i = 0; i < keys.length; i++) {
            Object v = column.value(i);
            keys[i] = v == null ? MISSING : render(v);
            index.putIfAbsent(keys[i], 0);
        }
        List<String> groups = new ArrayList<>(index.keySet());
        for (int g = 0; g < groups.size(); g++) index.put(groups.get(g), g);
        int[] of = new int[keys.length];
        for (int i = 0; i < keys.length; i++) of[i] = index.get(keys[i]);
        return new Grouping(name, groups, of);
    }

    private static Grouping buckets(String name, Column.Numeric column, double[] edges) {
        List<String> groups = new ArrayList<>();
        groups.add("<" + number(edges[0]));
        for (int e = 1; e < edges.length; e++) groups.add(number(edges[e - 1]) + "–" + number(edges[e]));
        groups.add(">=" + number(edges[edges.length - 1]));
        int[] of = new int[column.size()];
        boolean anyMissing = false;
        for (int i = 0; i < of.length; i++) {
            double v = column.get(i);
            if (Double.isNaN(v)) {
                of[i] = -1;
                anyMissing = true;
                continue;
            }
            int bucket = 0;
            while (bucket < edges.length && v >= edges[bucket]) bucket++;
            of[i] = bucket;
        }
        if (anyMissing) {
            groups.add(MISSING);
            for (int i = 0; i < of.length; i++) if (of[i] < 0) of[i] = groups.size() - 1;
        }
        return new Grouping(name, groups, of);
    }

    private static double[] edges(String spec, String list, String role) {
        try {
            double[] edges = Arrays.stream(list.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            for (int i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) throw new NumberFormatException();
            if (edges.length == 0) throw new NumberFormatException();
            return edges;
        } catch (NumberFormatException e) {
            throw CairnException.invalid(role, spec, "increasing bucket edges after ':', e.g. age:25,40,60");
        }
    }

    /** The quartiles of the values present, without repeats, as bucket edges. */
    private static double[] quartiles(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        TreeSet<Double> edges = new TreeSet<>();
        for (double q : new double[] {0.25, 0.5, 0.75}) edges.add(Bootstrap.quantile(present, q));
        edges.remove(present[0]);
        return edges.isEmpty() ? new double[] {present[present.length - 1]} : edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Row indexes of each group, in group order. */
    public List<int[]> members() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) lists.add(new ArrayList<>());
        for (int i = 0; i < groupOfRow.length; i++) lists.get(groupOfRow[i]).add(i);
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    static String render(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return Long.toString(d.longValue());
        return String.valueOf(v);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

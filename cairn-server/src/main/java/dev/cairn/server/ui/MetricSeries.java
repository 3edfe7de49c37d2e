package dev.cairn.server.ui;

import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric's history as a chart reads it: by step, downsampled on the server with {@link Lttb} to at most
 * {@value #POINTS} points, so the page receives and draws a few kilobytes whatever the history's length. The history
 * is read a page at a time into two primitive arrays (16 bytes a point), never as a list of records. Values go out
 * with {@value #DIGITS} significant digits and steps as integers: a chart cannot show more, and 17-digit doubles
 * made 200 compared runs' data 1.6 MB.
 */
final class MetricSeries {

    static final int POINTS = 1000;
    /**
     * Points a chart of many series draws in all, shared out between them: 200 overlaid runs get 100 points each
     * (on a 960-pixel chart, more per line is not seen under 199 others), up to {@value #POINTS} for ten or fewer.
     */
    static final int BUDGET = 20_000;
    /** The fewest points a series is cut to, however many share the chart. */
    static final int MIN_POINTS = 50;
    static final int DIGITS = 7;
    private static final MathContext ROUNDING = new MathContext(DIGITS);
    /** Beyond this many points a history is cut (and says so): a chart of more adds nothing a person can see. */
    static final int MAX_READ = 2_000_000;

    private MetricSeries() {}

    /** Points for each of {@code series} series sharing one chart: {@link #BUDGET} shared, within [{@value #MIN_POINTS}, {@value #POINTS}]. */
    static int pointsEach(int series) {
        return Math.max(MIN_POINTS, Math.min(POINTS, BUDGET / Math.max(1, series)));
    }

    /** {@link #read(RunStore, String, String, String, int)} to {@link #POINTS} points: a chart of one series. */
    static Map<String, Object> read(RunStore runs, String runId, String key, String name) {
        return read(runs, runId, key, name, POINTS);
    }

    /**
     * {@code {"name", "points": [[step, value], ...], "total": n, "truncated": bool}}, at most {@code points} points;
     * NaN and infinities are left out.
     */
    static Map<String, Object> read(RunStore runs, String runId, String key, String name, int points) {
        return read(runs, runId, key, name, points, null);
    }

    /**
     * Several runs' histories of {@code key} in one store query ({@link RunStore#getMetricHistories}), each as
     * {@link #read(RunStore, String, String, String, int)} gives it; a history longer than one read is read on page by
     * page. {@code names} maps each run id to the series' name; ids the store does not know are left out.
     */
    static List<Map<String, Object>> readAll(RunStore runs, List<String> runIds, String key, Map<String, String> names, int points) {
        Map<String, List<Metric>> first = runs.getMetricHistories(runIds, key, RunStore.MAX_HISTORY_RESULTS);
        List<Map<String, Object>> series = new ArrayList<>();
        first.forEach((runId, history) -> series.add(read(runs, runId, key, names.getOrDefault(runId, runId), points, history)));
        return series;
    }

    /** Reads from {@code firstPage} (the first {@link RunStore#MAX_HISTORY_RESULTS} points, null: not read yet) on. */
    private static Map<String, Object> read(RunStore runs, String runId, String key, String name, int points, List<Metric> firstPage) {
        double[] x = new double[1024];
        double[] y = new double[1024];
        int n = 0;
        String token = null;
        boolean truncated = false;
        // A full first page may have more behind it: that history is read again by pages from the start (rare).
        if (firstPage != null && firstPage.size() >= RunStore.MAX_HISTORY_RESULTS) firstPage = null;
        do {
            List<Metric> items;
            if (firstPage != null) {
                items = firstPage;
                firstPage = null;
            } else {
                Page<Metric> page = runs.getMetricHistory(runId, key, RunStore.MAX_HISTORY_RESULTS, token);
                items = page.items();
                token = page.nextPageToken();
            }
            for (Metric m : items) {
                if (!Double.isFinite(m.value())) continue;
                if (n == x.length) {
                    x = Arrays.copyOf(x, n * 2);
                    y = Arrays.copyOf(y, n * 2);
                }
                x[n] = m.step();
                y[n++] = m.value();
            }
            if (n >= MAX_READ) {
                truncated = token != null;
                break;
            }
        } while (token != null);
        Lttb.Series sampled = Lttb.downsample(new Lttb.Series(Arrays.copyOf(x, n), Arrays.copyOf(y, n)), points);
        Number[][] out = new Number[sampled.size()][];
        for (int i = 0; i < sampled.size(); i++) out[i] = new Number[] {compact(sampled.x()[i]), compact(sampled.y()[i])};
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("name", name);
        series.put("points", out);
        series.put("total", n);
        series.put("truncated", truncated);
        return series;
    }

    /** A whole number as a long (written without ".0"), any other to {@value #DIGITS} significant digits (finite only). */
    static Number compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return (long) v;
        return new BigDecimal(v).round(ROUNDING).doubleValue();
    }

    static Map<String, Object> chart(String x, List<Map<String, Object>> series) {
        return Map.of("x", x, "series", series);
    }
}

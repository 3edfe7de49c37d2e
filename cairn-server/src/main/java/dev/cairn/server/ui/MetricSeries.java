package dev.cairn.server.ui;

import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric's history as a chart reads it: by step, downsampled on the server with {@link Lttb} to at most
 * {@value #POINTS} points, so the page receives and draws a few kilobytes whatever the history's length. The history
 * is read a page at a time into two primitive arrays (16 bytes a point), never as a list of records.
 */
final class MetricSeries {

    static final int POINTS = 1000;
    /** Beyond this many points a history is cut (and says so): a chart of more adds nothing a person can see. */
    static final int MAX_READ = 2_000_000;

    private MetricSeries() {}

    /** {@code {"name", "points": [[step, value], ...], "total": n, "truncated": bool}}; NaN and infinities are left out. */
    static Map<String, Object> read(RunStore runs, String runId, String key, String name) {
        double[] x = new double[1024];
        double[] y = new double[1024];
        int n = 0;
        String token = null;
        boolean truncated = false;
        do {
            Page<Metric> page = runs.getMetricHistory(runId, key, RunStore.MAX_HISTORY_RESULTS, token);
            for (Metric m : page.items()) {
                if (!Double.isFinite(m.value())) continue;
                if (n == x.length) {
                    x = Arrays.copyOf(x, n * 2);
                    y = Arrays.copyOf(y, n * 2);
                }
                x[n] = m.step();
                y[n++] = m.value();
            }
            token = page.nextPageToken();
            if (n >= MAX_READ) {
                truncated = token != null;
                break;
            }
        } while (token != null);
        Lttb.Series sampled = Lttb.downsample(new Lttb.Series(Arrays.copyOf(x, n), Arrays.copyOf(y, n)), POINTS);
        double[][] points = new double[sampled.size()][];
        for (int i = 0; i < sampled.size(); i++) points[i] = new double[] {sampled.x()[i], sampled.y()[i]};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("points", points);
        out.put("total", n);
        out.put("truncated", truncated);
        return out;
    }

    static Map<String, Object> chart(String x, List<Map<String, Object>> series) {
        return Map.of("x", x, "series", series);
    }
}

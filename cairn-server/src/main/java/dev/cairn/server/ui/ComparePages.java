package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs side by side: every param with the rows that differ marked (and listed first), the latest value of every
 * metric, and one metric's histories overlaid in a chart (each downsampled on the server).
 */
public final class ComparePages {

    /** More runs than this are refused: a table wider than a screen of columns compares nothing. */
    static final int MAX_RUNS = 200;

    private final MetadataStore store;
    private final Pages pages;

    ComparePages(MetadataStore store, Pages pages) {
        this.store = store;
        this.pages = pages;
    }

    public record Header(String runId, String name, String href) {}

    public record Row(String key, List<String> values, boolean differs) {}

    public record MetricChoice(String key, boolean charted) {}

    public record CompareView(List<Header> runs, List<Row> params, List<Row> metrics, int differing, List<MetricChoice> choices,
                              String chartKey, String chartSrc, String parallelSrc, String tablesSrc) {}

    /**
     * Up to this many runs the page carries its parameter and metric tables; past it they load when scrolled to
     * ({@code tablesSrc}): 200 runs × 54 keys is 10,000 cells, and parsing and laying them out held up the charts
     * above them by seconds.
     */
    static final int INLINE_TABLE_RUNS = 20;

    void compare(Context ctx) {
        List<String> ids = ids(ctx);
        boolean inline = ids.size() <= INLINE_TABLE_RUNS || ctx.queryParam("tables") != null;
        // Without the tables the page needs no metric values, only the keys to offer (read from the store's index).
        List<Run> runs = runs(ids, inline ? null : List.of());
        List<Header> headers = runs.stream().map(r -> new Header(r.info().runId(), ExperimentPages.displayName(r), Links.run(r.info().runId()))).toList();

        List<Map<String, String>> paramMaps = new ArrayList<>();
        List<Map<String, String>> metricMaps = new ArrayList<>();
        TreeSet<String> paramKeys = new TreeSet<>();
        TreeSet<String> metricKeys = new TreeSet<>();
        for (Run run : runs) {
            Map<String, String> p = new HashMap<>();
            for (Param param : run.data().params()) p.put(param.key(), param.value());
            Map<String, String> m = new HashMap<>();
            for (Metric metric : run.data().metrics()) m.put(metric.key(), Links.number(metric.value()));
            paramMaps.add(p);
            metricMaps.add(m);
            paramKeys.addAll(p.keySet());
            metricKeys.addAll(m.keySet());
        }
        List<Row> params = rows(paramKeys, paramMaps);
        // The params that differ are what a person compares runs for: they come first.
        List<Row> sorted = new ArrayList<>(params.stream().filter(Row::differs).toList());
        sorted.addAll(params.stream().filter(r -> !r.differs()).toList());
        if (!inline) metricKeys.addAll(store.runs().metricKeys(ids, null, RunStore.MAX_KEYS));
        List<Row> metrics = inline ? rows(metricKeys, metricMaps) : List.of();

        String chartKey = ctx.queryParam("metric");
        if (chartKey == null && !metricKeys.isEmpty()) chartKey = metricKeys.first();
        List<Map.Entry<String, String>> base = new ArrayList<>();
        for (String id : ids) base.add(Map.entry("run", id));
        List<MetricChoice> choices = new ArrayList<>();
        for (String key : metricKeys) choices.add(new MetricChoice(key, key.equals(chartKey)));
        String chartSrc = null;
        String parallelSrc = null;
        if (chartKey != null) {
            List<Map.Entry<String, String>> q = new ArrayList<>(base);
            q.add(Map.entry("key", chartKey));
            chartSrc = Links.withQuery("/ui/compare/metric-series", q);
            if (params.stream().anyMatch(Row::differs)) parallelSrc = Links.withQuery("/ui/compare/parallel", q);
        }
        // The tables alone, as htmx asks for them when they are scrolled to (a direct visit gets the page with them inline).
        boolean tablesOnly = ctx.queryParam("tables") != null && ctx.header("HX-Request") != null;
        String tablesSrc = null;
        if (!inline) {
            List<Map.Entry<String, String>> q = new ArrayList<>(base);
            q.add(Map.entry("tables", "inline"));
            tablesSrc = Links.withQuery("/ui/compare", q);
        }
        CompareView view = new CompareView(headers, sorted, metrics, (int) params.stream().filter(Row::differs).count(), choices, chartKey,
                chartSrc, parallelSrc, tablesSrc);
        if (tablesOnly) {
            pages.fragment(ctx, "compare-tables.jte", view);
            return;
        }
        pages.render(ctx, "compare.jte", "Compare " + runs.size() + " runs", "experiments", view);
    }

    /** Params that differ between the runs, at most this many, as axes of the parallel-coordinates chart. */
    static final int MAX_AXES = 12;

    /**
     * Parallel coordinates of tuning trials: one axis per param that differs (numeric when every value is a number,
     * else categories) and a last axis for the metric; one line per run.
     */
    void parallel(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isBlank()) throw CairnException.invalid("key", key, "a metric key");
        List<Run> runs = runs(ids(ctx), List.of(key));
        List<Map<String, String>> paramMaps = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        for (Run run : runs) {
            Map<String, String> p = new HashMap<>();
            for (Param param : run.data().params()) p.put(param.key(), param.value());
            paramMaps.add(p);
            keys.addAll(p.keySet());
        }
        List<Row> differing = rows(keys, paramMaps).stream().filter(Row::differs).limit(MAX_AXES).toList();
        List<Map<String, Object>> dimensions = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (Row row : differing) {
            boolean isNumber = row.values().stream().allMatch(ComparePages::isNumber);
            numeric.add(isNumber);
            Map<String, Object> dimension = new java.util.LinkedHashMap<>();
            dimension.put("name", row.key());
            dimension.put("type", isNumber ? "value" : "category");
            if (!isNumber) dimension.put("categories", row.values().stream().distinct().sorted().toList());
            dimensions.add(dimension);
        }
        dimensions.add(Map.of("name", key, "type", "value"));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            List<Object> values = new ArrayList<>();
            for (int d = 0; d < differing.size(); d++) {
                String v = differing.get(d).values().get(i);
                values.add(numeric.get(d) ? (Object) Double.parseDouble(v) : v);
            }
            Run run = runs.get(i);
            Double metric = run.data().metrics().stream().filter(m -> m.key().equals(key)).map(Metric::value)
                    .filter(Double::isFinite).findFirst().orElse(null);
            values.add(metric);
            lines.add(Map.of("name", ExperimentPages.displayName(run), "values", values));
        }
        ctx.json(Map.of("kind", "parallel", "dimensions", dimensions, "lines", lines));
    }

    private static boolean isNumber(String s) {
        if (s == null || s.isBlank()) return false;
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    void metricSeries(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isBlank()) throw CairnException.invalid("key", key, "a metric key");
        List<Map<String, Object>> series = new ArrayList<>();
        List<String> ids = ids(ctx);
        // The runs share one chart's point budget: 200 runs of 300 steps send 100 points each, not 60,000 in all.
        int points = MetricSeries.pointsEach(ids.size());
        // Two store reads for all the runs (their names, then every history of the key), not two per run.
        Map<String, String> names = new HashMap<>();
        for (Run run : runs(ids, List.of())) names.put(run.info().runId(), ExperimentPages.displayName(run));
        series.addAll(MetricSeries.readAll(store.runs(), ids, key, names, points));
        ctx.json(MetricSeries.chart("step", series));
    }

    /** The runs in one store read ({@link RunStore#getRuns}), in the order given; an unknown id is a 404, as a run page's. */
    private List<Run> runs(List<String> ids, List<String> metricKeys) {
        List<Run> runs = store.runs().getRuns(ids, metricKeys);
        if (runs.size() < ids.size()) {
            Set<String> found = new HashSet<>();
            for (Run run : runs) found.add(run.info().runId());
            String missing = ids.stream().filter(id -> !found.contains(id)).findFirst().orElseThrow();
            throw CairnException.notFound("run", missing);
        }
        return runs;
    }

    private static List<String> ids(Context ctx) {
        List<String> ids = ctx.queryParams("run").stream().filter(s -> !s.isBlank()).distinct().toList();
        if (ids.size() < 2) throw CairnException.invalid("run", ids, "at least two runs to compare (select them in a runs table)");
        if (ids.size() > MAX_RUNS) throw CairnException.invalid("run", ids.size() + " runs", "at most " + MAX_RUNS + " runs");
        return ids;
    }

    private static List<Row> rows(TreeSet<String> keys, List<Map<String, String>> maps) {
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            List<String> values = maps.stream().map(m -> m.getOrDefault(key, "")).toList();
            boolean differs = values.stream().anyMatch(v -> !Objects.equals(v, values.getFirst()));
            rows.add(new Row(key, values, differs));
        }
        return rows;
    }
}

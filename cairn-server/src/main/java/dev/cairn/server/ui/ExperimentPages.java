package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The experiments list and an experiment's runs table. The table asks the run store for one page at a time with the
 * same filter grammar, ordering and page tokens as {@code POST /api/v1/runs/search}: an experiment of 100,000 runs
 * costs one page's worth of rows, and a filter the grammar refuses is shown above the table with the parser's message.
 */
public final class ExperimentPages {

    static final int PAGE_SIZE = 50;
    /** Columns shown when none are chosen: enough to see a run at a glance, few enough for thousands of keys. */
    static final int DEFAULT_METRIC_COLUMNS = 6;
    static final int DEFAULT_PARAM_COLUMNS = 4;

    private final MetadataStore store;
    private final Pages pages;

    ExperimentPages(MetadataStore store, Pages pages) {
        this.store = store;
        this.pages = pages;
    }

    public record ExperimentRow(String id, String name, String href, String created, String updated, List<Tag> tags) {}

    public record ExperimentsView(List<ExperimentRow> experiments, String nextHref) {}

    void experiments(Context ctx) {
        Page<Experiment> page = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name ASC"), 200,
                blankToNull(ctx.queryParam("page_token")));
        // With login on, only the experiments the user may read (as the API's listing).
        List<Experiment> readable = AccessControl.readable(ctx, ResourceKind.EXPERIMENT, page.items(), Experiment::experimentId);
        List<ExperimentRow> rows = readable.stream().map(e -> new ExperimentRow(e.experimentId(), e.name(),
                Links.experiment(e.experimentId()), Links.time(e.creationTime()), Links.time(e.lastUpdateTime()), e.tags())).toList();
        String next = page.nextPageToken() == null ? null : Links.withQuery("/", List.of(Map.entry("page_token", page.nextPageToken())));
        pages.render(ctx, "experiments.jte", "Experiments", "experiments", new ExperimentsView(rows, next));
    }

    /** A column of the runs table: a metric, param or tag key, or one of the run's attributes. */
    public record Column(String kind, String key, String label, String sortHref, String sortState) {
        public String id() {
            return kind + "." + key;
        }
    }

    public record RunRow(String runId, String name, String href, String status, String user, String started, List<String> cells) {}

    /** A key the person may add to or remove from the table. */
    public record ColumnChoice(String id, String label, boolean chosen) {}

    /**
     * The column chooser: checkboxes for the chosen columns and the keys offered, and, when the page's runs log more
     * metric keys than are offered ({@code more}), a search field that finds the others on the server.
     */
    public record Chooser(List<ColumnChoice> choices, boolean more, int offeredMetrics) {}

    public record RunsView(String experimentId, String experimentName, String filter, String filterError, String orderBy,
                           List<Column> columns, Chooser chooser, List<RunRow> rows, String nextHref, String firstHref,
                           boolean paged, String pageToken) {}

    /** What the column search field's list offers: metric keys of the page's runs that contain the typed text. */
    public record KeyOptions(List<String> ids) {}

    /** The metric keys offered as checkboxes; past this many the chooser finds keys on the server as a person types. */
    static final int OFFERED_METRIC_KEYS = 100;
    /** Keys the search field's list shows for one query. */
    static final int FOUND_KEYS = 50;

    /** The page's query: filter, order and page token, as the runs page and its column search both read them. */
    private record PageQuery(String filter, String orderBy, String pageToken) {
        static PageQuery of(Context ctx) {
            return new PageQuery(blankToNull(ctx.queryParam("filter")), blankToNull(ctx.queryParam("order_by")),
                    blankToNull(ctx.queryParam("page_token")));
        }

        /** The page's runs, each with only the latest metrics named (a run may log thousands). */
        Page<Run> search(MetadataStore store, String experimentId, List<String> metricKeys) {
            return store.runs().searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY,
                    orderBy == null ? List.of() : List.of(orderBy), PAGE_SIZE, pageToken, metricKeys);
        }
    }

    void runs(Context ctx) {
        String experimentId = ctx.pathParam("id");
        Experiment experiment = store.experiments().getExperiment(experimentId);
        PageQuery query = PageQuery.of(ctx);
        String filter = query.filter();
        String orderBy = query.orderBy();
        String pageToken = query.pageToken();
        List<String> chosen = chosenColumns(ctx);
        List<String> chosenMetrics = chosen.stream().filter(c -> c.startsWith("metrics.")).map(c -> c.substring("metrics.".length())).toList();

        Page<Run> page;
        String filterError = null;
        try {
            // Only the metrics the table shows are read: an experiment whose runs log 12,000 metrics costs six.
            page = query.search(store, experiment.experimentId(), chosenMetrics);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE && e.code() != ErrorCode.BAD_REQUEST) throw e;
            filterError = e.getMessage();
            page = new Page<>(List.of(), null);
        }
        List<Run> runs = page.items();
        List<String> runIds = runs.stream().map(r -> r.info().runId()).toList();
        // The metric keys to offer, from the store's index of (run, key): one more than offered says there are more.
        List<String> metricKeys = runIds.isEmpty() ? List.of() : store.runs().metricKeys(runIds, null, OFFERED_METRIC_KEYS + 1);
        boolean more = metricKeys.size() > OFFERED_METRIC_KEYS;
        if (more) metricKeys = metricKeys.subList(0, OFFERED_METRIC_KEYS);

        Set<String> paramKeys = new TreeSet<>();
        Set<String> tagKeys = new TreeSet<>();
        for (Run run : runs) {
            run.data().params().forEach(p -> paramKeys.add(p.key()));
            run.data().tags().stream().filter(t -> !t.key().startsWith("mlflow.")).forEach(t -> tagKeys.add(t.key()));
        }
        List<String> columnIds = new ArrayList<>(chosen);
        if (chosen.isEmpty()) {
            List<String> defaults = metricKeys.stream().limit(DEFAULT_METRIC_COLUMNS).toList();
            defaults.forEach(k -> columnIds.add("metrics." + k));
            paramKeys.stream().limit(DEFAULT_PARAM_COLUMNS).forEach(k -> columnIds.add("params." + k));
            if (!defaults.isEmpty()) runs = withMetrics(experiment.experimentId(), runs, defaults);
        }

        String base = Links.experiment(experimentId);
        List<Map.Entry<String, String>> state = new ArrayList<>();
        if (filter != null) state.add(Map.entry("filter", filter));
        // Only explicitly chosen columns travel in links: the defaults follow the page's keys.
        for (String c : chosen) state.add(Map.entry("col", c));

        List<Column> columns = new ArrayList<>();
        for (String id : columnIds) {
            int dot = id.indexOf('.');
            String kind = id.substring(0, dot);
            String key = id.substring(dot + 1);
            String sortKey = kind + "." + quoteKey(key);
            String current = (sortKey + " DESC").equals(orderBy) ? "descending" : (sortKey + " ASC").equals(orderBy) ? "ascending" : "none";
            String nextOrder = current.equals("descending") ? sortKey + " ASC" : sortKey + " DESC";
            List<Map.Entry<String, String>> q = new ArrayList<>(state);
            q.add(Map.entry("order_by", nextOrder));
            columns.add(new Column(kind, key, key, Links.withQuery(base, q), current));
        }

        List<RunRow> rows = new ArrayList<>();
        for (Run run : runs) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Metric m : run.data().metrics()) values.put("metrics." + m.key(), Links.number(m.value()));
            for (Param p : run.data().params()) values.put("params." + p.key(), p.value());
            for (Tag t : run.data().tags()) values.put("tags." + t.key(), t.value());
            List<String> cells = columnIds.stream().map(id -> values.getOrDefault(id, "")).toList();
            rows.add(new RunRow(run.info().runId(), displayName(run), Links.run(run.info().runId()), run.info().status().name(),
                    run.info().userId(), Links.time(run.info().startTime()), cells));
        }

        Set<String> offered = new LinkedHashSet<>(columnIds);
        metricKeys.forEach(k -> offered.add("metrics." + k));
        paramKeys.forEach(k -> offered.add("params." + k));
        tagKeys.forEach(k -> offered.add("tags." + k));
        List<ColumnChoice> choices = offered.stream().map(id -> new ColumnChoice(id, id, columnIds.contains(id))).toList();

        List<Map.Entry<String, String>> pageState = new ArrayList<>(state);
        if (orderBy != null) pageState.add(Map.entry("order_by", orderBy));
        String first = Links.withQuery(base, pageState);
        String next = null;
        if (page.nextPageToken() != null) {
            List<Map.Entry<String, String>> q = new ArrayList<>(pageState);
            q.add(Map.entry("page_token", page.nextPageToken()));
            next = Links.withQuery(base, q);
        }
        pages.render(ctx, "runs.jte", experiment.name(), "experiments", new RunsView(experiment.experimentId(), experiment.name(),
                filter == null ? "" : filter, filterError, orderBy, columns, new Chooser(choices, more, metricKeys.size()), rows, next, first,
                pageToken != null, pageToken));
    }

    /**
     * The column search field's list: the metric keys of the page's runs (the same filter, order and page token)
     * that contain what was typed ({@code col}), at most {@value #FOUND_KEYS}, as {@code <option>}s of a datalist.
     */
    void columnKeys(Context ctx) {
        String experimentId = ctx.pathParam("id");
        Experiment experiment = store.experiments().getExperiment(experimentId);
        String typed = ctx.queryParam("col");
        String text = typed == null ? "" : typed.strip();
        if (text.startsWith("metrics.")) text = text.substring("metrics.".length());
        List<String> ids = List.of();
        try {
            ids = PageQuery.of(ctx).search(store, experiment.experimentId(), List.of()).items().stream().map(r -> r.info().runId()).toList();
        } catch (CairnException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE && e.code() != ErrorCode.BAD_REQUEST) throw e;
        }
        List<String> keys = ids.isEmpty() ? List.of() : store.runs().metricKeys(ids, text, FOUND_KEYS);
        pages.fragment(ctx, "column-keys.jte", new KeyOptions(keys.stream().map(k -> "metrics." + k).toList()));
    }

    /**
     * The columns asked for ({@code col}): {@code metrics.}, {@code params.} or {@code tags.} keys; a bare key (typed
     * in the column search field without choosing from its list) is a metric's.
     */
    static List<String> chosenColumns(Context ctx) {
        List<String> chosen = new ArrayList<>();
        for (String c : ctx.queryParams("col")) {
            String id = c.strip();
            if (id.isEmpty()) continue;
            if (!(id.startsWith("metrics.") || id.startsWith("params.") || id.startsWith("tags."))) id = "metrics." + id;
            if (id.indexOf('.') == id.length() - 1 || chosen.contains(id)) continue;
            chosen.add(id);
        }
        return chosen;
    }

    /** The runs again, in the same order, each with the latest values of {@code metricKeys} (the default columns). */
    private List<Run> withMetrics(String experimentId, List<Run> runs, List<String> metricKeys) {
        String ids = String.join(", ", runs.stream().map(r -> "'" + r.info().runId().replace("'", "''") + "'").toList());
        Map<String, Run> byId = new HashMap<>();
        for (Run run : store.runs().searchRuns(List.of(experimentId), "attributes.run_id IN (" + ids + ")", ViewType.ACTIVE_ONLY,
                List.of(), runs.size(), null, metricKeys).items()) {
            byId.put(run.info().runId(), run);
        }
        return runs.stream().map(r -> byId.getOrDefault(r.info().runId(), r)).toList();
    }

    static String displayName(Run run) {
        String name = run.info().runName();
        if (name != null && !name.isBlank()) return name;
        return run.data().tags().stream().filter(t -> t.key().equals(SystemTags.RUN_NAME)).map(Tag::value).findFirst()
                .orElse(run.info().runId());
    }

    /** A key as the filter grammar reads it: bare when it is a plain word, else in backticks (a doubled one escapes). */
    static String quoteKey(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : "`" + key.replace("`", "``") + "`";
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

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

    public record RunsView(String experimentId, String experimentName, String filter, String filterError, String orderBy,
                           List<Column> columns, List<ColumnChoice> choices, List<RunRow> rows, String nextHref, String firstHref,
                           boolean paged) {}

    void runs(Context ctx) {
        String experimentId = ctx.pathParam("id");
        Experiment experiment = store.experiments().getExperiment(experimentId);
        String filter = blankToNull(ctx.queryParam("filter"));
        String orderBy = blankToNull(ctx.queryParam("order_by"));
        String pageToken = blankToNull(ctx.queryParam("page_token"));
        List<String> chosen = ctx.queryParams("col").stream().filter(c -> c.startsWith("metrics.") || c.startsWith("params.")
                || c.startsWith("tags.")).distinct().toList();

        Page<Run> page;
        String filterError = null;
        try {
            page = store.runs().searchRuns(List.of(experiment.experimentId()), filter, ViewType.ACTIVE_ONLY,
                    orderBy == null ? List.of() : List.of(orderBy), PAGE_SIZE, pageToken);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE && e.code() != ErrorCode.BAD_REQUEST) throw e;
            filterError = e.getMessage();
            page = new Page<>(List.of(), null);
        }

        Set<String> metricKeys = new TreeSet<>();
        Set<String> paramKeys = new TreeSet<>();
        Set<String> tagKeys = new TreeSet<>();
        for (Run run : page.items()) {
            run.data().metrics().forEach(m -> metricKeys.add(m.key()));
            run.data().params().forEach(p -> paramKeys.add(p.key()));
            run.data().tags().stream().filter(t -> !t.key().startsWith("mlflow.")).forEach(t -> tagKeys.add(t.key()));
        }
        List<String> columnIds = new ArrayList<>(chosen);
        if (chosen.isEmpty()) {
            metricKeys.stream().limit(DEFAULT_METRIC_COLUMNS).forEach(k -> columnIds.add("metrics." + k));
            paramKeys.stream().limit(DEFAULT_PARAM_COLUMNS).forEach(k -> columnIds.add("params." + k));
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
        for (Run run : page.items()) {
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
                filter == null ? "" : filter, filterError, orderBy, columns, choices, rows, next, first, pageToken != null));
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

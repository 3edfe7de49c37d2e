package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.tracking.ArtifactLocations;
import dev.cairn.train.evaluation.Evaluations;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A run's page: its facts, params, metrics with a chart, tags, dataset inputs, child runs, artifacts, model versions. */
public final class RunPages {

    private final MetadataStore store;
    private final ArtifactLocations locations;
    private final Pages pages;

    RunPages(MetadataStore store, ArtifactRepository artifacts, Pages pages) {
        this.store = store;
        this.locations = new ArtifactLocations(artifacts);
        this.pages = pages;
    }

    public record Fact(String label, String value, String href) {}

    public record MetricRow(String key, String value, long step, String chartHref, boolean charted) {}

    /**
     * The metric table's paging: the text its keys were found by, the charted key (kept by the find form), and the
     * links to the first and next page (null where there is none).
     */
    public record MetricPaging(String find, String chartKey, String firstHref, String nextHref) {}

    public record InputRow(String name, String digest, String sourceType, String source, String context) {}

    public record RunLink(String name, String href, String status) {}

    public record ArtifactRow(String name, String href, boolean directory, long size) {}

    public record VersionLink(String label, String href, List<String> aliases, String stage, String evaluationHref, String lineageHref) {}

    public record RunView(String runId, String name, String experimentName, String experimentHref, List<Fact> facts,
                          List<Param> params, List<MetricRow> metrics, MetricPaging paging, String chartKey, String chartSrc, List<Tag> tags,
                          List<InputRow> inputs, List<RunLink> children, String artifactPath, List<ArtifactRow> artifacts,
                          List<VersionLink> versions) {}

    /** Metrics a page of the run's metric table shows: a run of 12,000 metrics costs what one of 50 does. */
    public static final int METRICS_PAGE = 50;

    void run(Context ctx) {
        // Without its latest metrics: the table below reads one page of them from the store's index.
        Run run = runWithMetrics(ctx.pathParam("id"), List.of());
        String runId = run.info().runId();
        var experiment = store.experiments().getExperiment(run.info().experimentId());
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Run id", runId, null));
        facts.add(new Fact("Status", run.info().status().name(), null));
        facts.add(new Fact("User", run.info().userId(), null));
        facts.add(new Fact("Started", Links.time(run.info().startTime()), null));
        facts.add(new Fact("Ended", Links.time(run.info().endTime()), null));
        facts.add(new Fact("Artifacts", run.info().artifactUri(), null));
        tag(run, SystemTags.PARENT_RUN_ID).ifPresent(parent -> facts.add(new Fact("Parent run", parent, Links.run(parent))));
        if (tag(run, Evaluations.TAG_CANDIDATE).isPresent()) {
            facts.add(new Fact("Evaluation", "verdict, metrics, curves, slices, fairness", Links.evaluation(runId)));
        }
        if (store.runs().metricKeys(List.of(runId), "data.", RunStore.MAX_KEYS).stream().anyMatch(k -> k.startsWith("data."))) {
            facts.add(new Fact("Data results", "profiles, validation, drift", Links.runData(runId)));
        }

        String find = Optional.ofNullable(ctx.queryParam("metrics_find")).map(String::strip).orElse("");
        String pageToken = ctx.queryParam("metrics_page");
        Page<Metric> latest = store.runs().latestMetrics(runId, find, METRICS_PAGE, pageToken);
        String chartKey = ctx.queryParam("metric");
        if (chartKey == null && !latest.items().isEmpty()) chartKey = latest.items().getFirst().key();
        final String charted = chartKey;
        List<MetricRow> metrics = latest.items().stream().map(m -> new MetricRow(m.key(), Links.number(m.value()), m.step(),
                runHref(runId, m.key(), find, pageToken) + "#chart", m.key().equals(charted))).toList();
        MetricPaging paging = new MetricPaging(find, charted,
                pageToken == null || pageToken.isBlank() ? null : runHref(runId, charted, find, null) + "#metrics",
                latest.nextPageToken() == null ? null : runHref(runId, charted, find, latest.nextPageToken()) + "#metrics");
        String chartSrc = chartKey == null ? null
                : Links.withQuery(Links.run(runId) + "/metric-series", List.of(Map.entry("key", chartKey)));

        List<Param> params = run.data().params().stream().sorted(Comparator.comparing(Param::key)).toList();
        List<Tag> tags = run.data().tags().stream().sorted(Comparator.comparing(Tag::key)).toList();
        List<InputRow> inputs = run.inputs().stream().map(RunPages::input).toList();

        List<RunLink> children = store.runs().searchRuns(List.of(run.info().experimentId()),
                        "tags.`" + SystemTags.PARENT_RUN_ID + "` = '" + runId.replace("'", "''") + "'", ViewType.ACTIVE_ONLY,
                        List.of("attributes.start_time ASC"), 200, null).items().stream()
                .map(c -> new RunLink(ExperimentPages.displayName(c), Links.run(c.info().runId()), c.info().status().name())).toList();

        String path = Optional.ofNullable(ctx.queryParam("path")).orElse("");
        List<ArtifactRow> artifacts = new ArrayList<>();
        for (ArtifactInfo info : locations.open(run.info().artifactUri()).list(path)) {
            String name = info.path().contains("/") ? info.path().substring(info.path().lastIndexOf('/') + 1) : info.path();
            String href = info.isDirectory()
                    ? Links.withQuery(Links.run(runId), List.of(Map.entry("path", info.path()))) + "#artifacts"
                    : Links.withQuery(Links.run(runId) + "/artifact", List.of(Map.entry("path", info.path())));
            artifacts.add(new ArtifactRow(name, href, info.isDirectory(), info.size()));
        }

        List<VersionLink> versions = new ArrayList<>();
        for (ModelVersion v : store.registry().searchModelVersions("run_id = '" + runId.replace("'", "''") + "'", List.of(), 100, null).items()) {
            versions.add(new VersionLink(v.name() + " v" + v.version(), Links.model(v.name()) + "#v" + v.version(), v.aliases(), v.currentStage(),
                    ModelPages.evaluationHref(v), ModelPages.lineageHref(v)));
        }

        pages.render(ctx, "run.jte", ExperimentPages.displayName(run), "experiments", new RunView(runId, ExperimentPages.displayName(run),
                experiment.name(), Links.experiment(experiment.experimentId()), facts, params, metrics, paging, chartKey, chartSrc, tags, inputs,
                children, path, artifacts, versions));
    }

    /** The chart data of one metric of one run, downsampled. */
    void metricSeries(Context ctx) {
        Run run = runWithMetrics(ctx.pathParam("id"), List.of());
        String key = ctx.queryParam("key");
        if (key == null || key.isBlank()) throw CairnException.invalid("key", key, "a metric key of the run");
        ctx.json(MetricSeries.chart("step", List.of(MetricSeries.read(store.runs(), run.info().runId(), key, key))));
    }

    /** The run as {@link RunStore#getRuns} reads it, with only these latest metrics; RESOURCE_DOES_NOT_EXIST if none. */
    private Run runWithMetrics(String runId, List<String> metricKeys) {
        if (runId == null || runId.isBlank()) throw CairnException.invalid("run_id", runId, "a run id");
        List<Run> found = store.runs().getRuns(List.of(runId), metricKeys);
        if (found.isEmpty()) throw CairnException.notFound("run", runId);
        return found.getFirst();
    }

    /** The run page charting {@code metric}, its metric table found by {@code find} at page {@code token}. */
    private static String runHref(String runId, String metric, String find, String token) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (metric != null) query.add(Map.entry("metric", metric));
        if (find != null && !find.isEmpty()) query.add(Map.entry("metrics_find", find));
        if (token != null && !token.isBlank()) query.add(Map.entry("metrics_page", token));
        return Links.withQuery(Links.run(runId), query);
    }

    private static InputRow input(DatasetInput input) {
        String context = input.tags().stream().filter(t -> t.key().equals("mlflow.data.context")).map(Tag::value).findFirst().orElse("");
        var d = input.dataset();
        return new InputRow(d.name(), d.digest(), d.sourceType(), d.source(), context);
    }

    static Optional<String> tag(Run run, String key) {
        return run.data().tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }
}

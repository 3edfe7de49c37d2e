package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.data.DataJson;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.Histogram;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data results stored with runs, rendered from the JSON cairn-data writes ({@code data/<name>/profile.json},
 * {@code validation.json}, {@code drift.json}: what {@code POST /api/v1/data/...} with a {@code run_id} and the
 * pipelines' profile, validate and drift steps store): a profile's per-column table with histograms (ECharts, from
 * {@link #histogram}), a validation's failures with observed and expected values, a drift report's per-column test,
 * value, threshold and verdict. The data page lists the newest runs that hold such results.
 */
public final class DataPages {

    static final String DATA = "data";
    /** How many of the newest runs the data page looks through for data results, per page. */
    static final int SCAN = 200;
    /** The metrics cairn-data logs with each kind of result, which tell which runs hold one without opening their artifacts. */
    private static final Pattern RESULT_METRIC = Pattern.compile("data\\.(.+)\\.(row_count|checks_failed_error|drift_share)");

    private final MetadataStore store;
    private final ArtifactLocations locations;
    private final Pages pages;

    DataPages(MetadataStore store, ArtifactRepository artifacts, Pages pages) {
        this.store = store;
        this.locations = new ArtifactLocations(artifacts);
        this.pages = pages;
    }

    public record ResultRow(String runId, String runName, String href, String experiment, String name, String started, String rows,
                            String failedChecks, String driftShare) {}

    public record DataView(List<ResultRow> results, int scanned, String nextHref) {}

    /**
     * The newest runs (of the experiments the user may read) holding data results, found by the metrics cairn-data logs
     * with them; {@value #SCAN} runs a page, so the page costs one run search whatever the store holds.
     */
    void list(Context ctx) {
        List<String> experiments = new ArrayList<>();
        Map<String, String> names = new TreeMap<>();
        String token = null;
        do {
            Page<Experiment> page = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name ASC"), 1000, token);
            for (Experiment e : AccessControl.readable(ctx, ResourceKind.EXPERIMENT, page.items(), Experiment::experimentId)) {
                experiments.add(e.experimentId());
                names.put(e.experimentId(), e.name());
            }
            token = page.nextPageToken();
        } while (token != null && experiments.size() < 10_000);
        List<ResultRow> rows = new ArrayList<>();
        String next = null;
        int scanned = 0;
        if (!experiments.isEmpty()) {
            Page<Run> runs = store.runs().searchRuns(experiments, null, ViewType.ACTIVE_ONLY, List.of("attributes.start_time DESC"), SCAN,
                    ExperimentPages.blankToNull(ctx.queryParam("page_token")));
            scanned = runs.items().size();
            for (Run run : runs.items()) {
                Map<String, Map<String, Double>> byName = new TreeMap<>();
                for (Metric m : run.data().metrics()) {
                    Matcher matcher = RESULT_METRIC.matcher(m.key());
                    if (matcher.matches()) byName.computeIfAbsent(matcher.group(1), n -> new TreeMap<>()).put(matcher.group(2), m.value());
                }
                byName.forEach((name, values) -> rows.add(new ResultRow(run.info().runId(), ExperimentPages.displayName(run),
                        Links.runData(run.info().runId()) + "#data-" + name, names.getOrDefault(run.info().experimentId(), ""), name,
                        Links.time(run.info().startTime()), num(values.get("row_count")), num(values.get("checks_failed_error")),
                        num(values.get("drift_share")))));
            }
            if (runs.nextPageToken() != null) next = Links.withQuery("/ui/data", List.of(Map.entry("page_token", runs.nextPageToken())));
        }
        pages.render(ctx, "data.jte", "Data", "data", new DataView(rows, scanned, next));
    }

    /** The data page's form names a run by its id; its results are on the run's own data page. */
    static void open(Context ctx) {
        String run = ExperimentPages.blankToNull(ctx.queryParam("run"));
        if (run == null) throw CairnException.invalid("run", null, "the id of a run");
        ctx.redirect(Links.runData(run.strip()), HttpStatus.SEE_OTHER);
    }

    public record ColumnRow(String name, String anchor, String kind, String type, long count, long missing, String completeness,
                            String distinct, String min, String max, String mean, String stdDev, String top, String histogramSrc) {}

    public record ProfileSection(String source, long rows, long malformed, List<ColumnRow> columns, String reportHref) {}

    public record CheckRow(String name, String check, String column, String severity, String status, String observed, String expected,
                           String failingRows, String sql) {}

    public record ValidationSection(String source, String environment, boolean success, long rows, int checks, int failedErrors,
                                    int failedWarnings, List<CheckRow> failures, List<CheckRow> passed, String reportHref) {}

    public record DriftRow(String column, String type, String test, String value, String threshold, boolean drifted, String method,
                           long referenceCount, long currentCount, String statistics) {}

    public record DriftSection(String reference, String current, int columns, int drifted, String share, boolean datasetDrift,
                               String options, List<DriftRow> features, List<String> skipped, String reportHref) {}

    public record DataResult(String name, ProfileSection profile, ValidationSection validation, DriftSection drift) {}

    public record RunDataView(String runId, String runName, String runHref, List<DataResult> results) {}

    /** Every data result of one run, each kind rendered from its JSON. */
    void run(Context ctx) {
        Run run = store.runs().getRun(ctx.pathParam("id"));
        String runId = run.info().runId();
        ArtifactRepository artifacts = locations.open(run.info().artifactUri());
        List<DataResult> results = new ArrayList<>();
        for (ArtifactInfo folder : list(artifacts, DATA)) {
            if (!folder.isDirectory()) continue;
            String name = folder.path().substring(folder.path().lastIndexOf('/') + 1);
            String base = DATA + "/" + name + "/";
            ProfileSection profile = null;
            ValidationSection validation = null;
            DriftSection drift = null;
            if (artifacts.exists(base + "profile.json")) profile = profile(runId, name, ProfileJson.read(text(artifacts, base + "profile.json")),
                    report(runId, base + "profile.html", artifacts));
            if (artifacts.exists(base + "validation.json")) validation = validation(DataJson.read(text(artifacts, base + "validation.json"),
                    ValidationResult.class, base + "validation.json"), report(runId, base + "validation.html", artifacts));
            if (artifacts.exists(base + "drift.json")) drift = drift(DataJson.read(text(artifacts, base + "drift.json"), DriftResult.class,
                    base + "drift.json"), report(runId, base + "drift.html", artifacts));
            if (profile != null || validation != null || drift != null) results.add(new DataResult(name, profile, validation, drift));
        }
        pages.render(ctx, "run-data.jte", "Data of " + ExperimentPages.displayName(run), "data",
                new RunDataView(runId, ExperimentPages.displayName(run), Links.run(runId), results));
    }

    private static ProfileSection profile(String runId, String name, DatasetProfile p, String reportHref) {
        List<ColumnRow> columns = new ArrayList<>();
        for (ColumnProfile c : p.columns()) {
            String distinct = "", min = "", max = "", mean = "", std = "", top = "";
            boolean histogram = false;
            if (c.numeric() != null) {
                distinct = Long.toString(c.numeric().distinct());
                min = num(c.numeric().min());
                max = num(c.numeric().max());
                mean = num(c.numeric().mean());
                std = num(c.numeric().stdDev());
                histogram = c.numeric().equalWidthHistogram() != null && !c.numeric().equalWidthHistogram().counts().isEmpty();
            }
            if (c.strings() != null) {
                distinct = c.strings().distinct() + (c.strings().distinctExact() ? "" : " (estimate)");
                if (min.isEmpty()) min = ModelPages.nz(c.strings().min());
                if (max.isEmpty()) max = ModelPages.nz(c.strings().max());
                List<ValueCount> values = c.strings().topValues() == null ? List.of() : c.strings().topValues();
                top = String.join(", ", values.stream().limit(5).map(v -> v.value() + " (" + v.count() + ")").toList());
                histogram = histogram || !values.isEmpty();
            }
            String src = histogram ? Links.withQuery(Links.runData(runId) + "/histogram", List.of(Map.entry("name", name), Map.entry("column", c.name())))
                    : null;
            columns.add(new ColumnRow(c.name(), "column-" + name + "-" + c.name(), c.kind() == null ? "" : c.kind().name().toLowerCase(java.util.Locale.ROOT),
                    ModelPages.nz(c.duckType()), c.count(), c.missing(), Links.number(c.completeness()), distinct, min, max, mean, std, top, src));
        }
        return new ProfileSection(ModelPages.nz(p.source()), p.rowCount(), p.malformedRowCount(), columns, reportHref);
    }

    private static ValidationSection validation(ValidationResult v, String reportHref) {
        List<CheckRow> failures = new ArrayList<>();
        List<CheckRow> passed = new ArrayList<>();
        for (CheckResult r : v.results()) (r.passed() ? passed : failures).add(new CheckRow(r.name(), ModelPages.nz(r.check()), ModelPages.nz(r.column()),
                r.severity() == null ? "" : r.severity().name().toLowerCase(java.util.Locale.ROOT), r.status(),
                r.observedText() != null ? r.observedText() : num(r.observed()), ModelPages.nz(r.expected()),
                r.failingRows() == null ? "" : r.failingRows().toString(), ModelPages.nz(r.failingRowsSql())));
        return new ValidationSection(ModelPages.nz(v.source()), ModelPages.nz(v.environment()), v.success(), v.rowCount(), v.checks(), v.failedErrors(),
                v.failedWarnings(), failures, passed, reportHref);
    }

    private static DriftSection drift(DriftResult d, String reportHref) {
        List<DriftRow> rows = new ArrayList<>();
        for (FeatureDrift f : d.features()) {
            StringBuilder stats = new StringBuilder();
            if (f.statistics() != null) {
                new TreeMap<>(f.statistics()).forEach((k, v) -> stats.append(stats.isEmpty() ? "" : ", ").append(k).append(' ').append(num(v)));
            }
            rows.add(new DriftRow(f.column(), ModelPages.nz(f.type()), ModelPages.nz(f.test()), Links.number(f.value()), Links.number(f.threshold()),
                    f.drifted(), ModelPages.nz(f.method()), f.referenceCount(), f.currentCount(), stats.toString()));
        }
        String options = d.options() == null ? "" : "p-value below " + Links.number(d.options().pValueThreshold()) + " or distance above "
                + Links.number(d.options().distanceThreshold()) + " drifts a column; the dataset drifts when at least "
                + Links.number(d.options().datasetDriftShare()) + " of its columns do";
        return new DriftSection(ModelPages.nz(d.reference()), ModelPages.nz(d.current()), d.columns(), d.driftedColumns(), Links.number(d.driftShare()),
                d.datasetDrift(), options, rows, d.skipped() == null ? List.of() : d.skipped(), reportHref);
    }

    /** One column's histogram (numeric: equal-width bins; text: its most frequent values) as the bar chart reads it. */
    void histogram(Context ctx) {
        Run run = store.runs().getRun(ctx.pathParam("id"));
        String name = ctx.queryParam("name");
        String column = ctx.queryParam("column");
        if (name == null || name.isBlank() || name.contains("/") || name.contains("..")) {
            throw CairnException.invalid("name", name, "the name of a data result of the run");
        }
        ArtifactRepository artifacts = locations.open(run.info().artifactUri());
        String path = DATA + "/" + name + "/profile.json";
        if (!artifacts.exists(path)) throw CairnException.notFound("profile of run " + run.info().runId(), name);
        DatasetProfile profile = ProfileJson.read(text(artifacts, path));
        ColumnProfile c = profile.column(column == null ? "" : column).orElseThrow(() -> CairnException.notFound("column of profile " + name, column));
        List<String> categories = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        String x;
        if (c.numeric() != null && c.numeric().equalWidthHistogram() != null) {
            Histogram h = c.numeric().equalWidthHistogram();
            for (int i = 0; i < h.counts().size(); i++) {
                categories.add(Links.number(h.edges().get(i)) + "–" + Links.number(h.edges().get(i + 1)));
                counts.add(h.counts().get(i));
            }
            x = c.name() + (h.approximate() ? " (counts within ±" + h.countError() + ")" : "");
        } else if (c.strings() != null && c.strings().topValues() != null) {
            for (ValueCount v : c.strings().topValues().stream().limit(30).toList()) {
                categories.add(v.value());
                counts.add((double) v.count());
            }
            x = c.name() + " (most frequent values)";
        } else {
            throw CairnException.notFound("histogram of column", column);
        }
        ctx.json(Map.of("kind", "bar", "x", x, "categories", categories, "series", List.of(Map.of("name", "rows", "values", counts))));
    }

    private String report(String runId, String path, ArtifactRepository artifacts) {
        return artifacts.exists(path) ? Links.withQuery(Links.run(runId) + "/artifact", List.of(Map.entry("path", path))) : null;
    }

    private static List<ArtifactInfo> list(ArtifactRepository artifacts, String path) {
        try {
            return artifacts.list(path);
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return List.of();
            throw e;
        }
    }

    private static String text(ArtifactRepository artifacts, String path) {
        try (InputStream in = artifacts.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Could not read " + path + ": " + e.getMessage(), e);
        }
    }

    private static String num(Double v) {
        return v == null ? "" : Links.number(v);
    }
}

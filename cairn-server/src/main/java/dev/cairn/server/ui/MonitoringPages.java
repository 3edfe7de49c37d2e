package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.WindowMetrics;
import dev.cairn.monitor.alert.ActiveAlert;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.report.MonitoringReport;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Monitoring from the server's own {@link Monitoring}: each monitored deployment at a glance, and a deployment's page
 * with its windows as charts (every feature's drift score, realized and estimated performance, volume; ECharts, from
 * {@link #chart}), the latest window's per-feature drift with the test, value and threshold, and its alerts with their
 * state. The windows are those the server's monitoring has read (it refreshes every minute); the series are the
 * deployment's primary version in each window, as its report and alert rules use.
 */
public final class MonitoringPages {

    static final int ALERT_HISTORY = 200;
    /** The performance metrics a chart shows before a person picks others in its legend. */
    private static final List<String> SHOWN = List.of(".precision", ".recall", ".roc_auc", ".rmse", ".mae");

    private final Monitoring monitoring;
    private final Pages pages;

    MonitoringPages(Monitoring monitoring, Pages pages) {
        this.monitoring = monitoring;
        this.pages = pages;
    }

    public record AlertRow(String rule, String severity, String metric, String value, String threshold, String since, String description) {}

    public record MonitorRow(String deployment, String href, String window, int windows, String latestStart, Map<String, String> latest,
                             List<String> versions, List<AlertRow> firing, List<String> notes, String reportHref) {}

    public record MonitoringView(boolean available, List<MonitorRow> deployments) {}

    void list(Context ctx) {
        List<MonitorRow> rows = new ArrayList<>();
        if (monitoring != null) {
            // With login on, only the deployments the user may read, as the API's listing.
            for (String name : AccessControl.readable(ctx, ResourceKind.DEPLOYMENT, monitoring.deployments(), n -> n)) {
                Monitoring.Status status = monitoring.status(name);
                Map<String, String> latest = new LinkedHashMap<>();
                if (status.latest() != null) status.latest().values().forEach((k, v) -> latest.put(k, v == null ? "" : Links.number(v)));
                rows.add(new MonitorRow(name, Links.monitoring(name), status.window(), status.windows(),
                        status.latest() == null ? "" : Links.time(status.latest().start()), latest, status.versions(),
                        status.firing().stream().map(MonitoringPages::alert).toList(), status.notes(), report(name)));
            }
        }
        pages.render(ctx, "monitoring.jte", "Monitoring", "monitoring", new MonitoringView(monitoring != null, rows));
    }

    static AlertRow alert(ActiveAlert a) {
        return new AlertRow(a.rule(), String.valueOf(a.severity()).toLowerCase(Locale.ROOT), a.metric(), a.value() == null ? "" : Links.number(a.value()),
                a.comparison().symbol() + " " + Links.number(a.threshold()), Links.time(a.since()), ModelPages.nz(a.description()));
    }

    public record EventRow(String window, String rule, String state, String severity, String metric, String value, String threshold,
                           String version, String description) {}

    public record DriftRow(String feature, String type, String test, String value, String threshold, boolean drifted, long currentRows) {}

    public record WindowRow(String start, String version, String rows, String requests, String driftShare, String labelCoverage) {}

    public record Chart(String id, String title, String src, String description) {}

    public record DeploymentView(String name, String model, String window, String from, String to, List<String> versions, List<AlertRow> firing,
                                 List<EventRow> events, List<Chart> charts, List<DriftRow> drift, List<WindowRow> windows,
                                 List<String> notes, String reportHref) {}

    /** One deployment's monitoring: charts over its windows, the latest per-feature drift, its alerts. */
    void deployment(Context ctx) {
        String name = known(ctx);
        Monitoring.Status status = monitoring.status(name);
        MonitoringReport report = report(name, status.window());
        List<EventRow> events = new ArrayList<>();
        for (AlertEvent e : monitoring.history(name, ALERT_HISTORY).reversed()) {
            events.add(new EventRow(Links.time(e.windowStart()), e.rule(), e.state().name(), e.severity().name().toLowerCase(Locale.ROOT), e.metric(),
                    e.value() == null ? "" : Links.number(e.value()), e.comparison().symbol() + " " + Links.number(e.threshold()),
                    ModelPages.nz(e.modelVersion()), ModelPages.nz(e.description())));
        }
        String base = Links.monitoring(name) + "/chart?kind=";
        List<Chart> charts = List.of(
                new Chart("drift-chart", "Drift of each feature", base + "drift",
                        "Each feature's drift test value (a p-value or a distance, as its test reports it) and the share of drifted features, by window"),
                new Chart("performance-chart", "Performance", base + "performance",
                        "Realized performance (labels joined) and estimated performance (before labels), by window"),
                new Chart("volume-chart", "Volume", base + "volume", "Rows scored, requests and refused requests, by window"));
        List<DriftRow> drift = new ArrayList<>();
        DriftResult latest = report.latestDrift();
        if (latest != null) {
            for (FeatureDrift f : latest.features()) {
                drift.add(new DriftRow(f.column(), ModelPages.nz(f.type()), ModelPages.nz(f.test()), Links.number(f.value()), Links.number(f.threshold()),
                        f.drifted(), f.currentCount()));
            }
        }
        List<WindowRow> windows = new ArrayList<>();
        for (WindowMetrics w : report.windows().reversed()) {
            windows.add(new WindowRow(Links.time(w.start()), ModelPages.nz(w.modelVersion()), num(w.get(MetricNames.ROWS)), num(w.get(MetricNames.REQUESTS)),
                    num(w.get(MetricNames.DRIFT_SHARE)), num(w.get(MetricNames.LABEL_COVERAGE))));
        }
        pages.render(ctx, "monitoring-deployment.jte", "Monitoring " + name, "monitoring", new DeploymentView(name, report.model(), report.window(),
                Links.time(report.from()), Links.time(report.to()), status.versions(), status.firing().stream().map(MonitoringPages::alert).toList(),
                events, charts, drift, windows, status.notes(), report(name)));
    }

    /** One chart's series over the deployment's windows: {@code kind} drift, performance or volume. */
    void chart(Context ctx) {
        String name = known(ctx);
        String kind = ctx.queryParam("kind");
        Predicate<String> wanted = switch (kind == null ? "" : kind) {
            case "drift" -> k -> k.equals(MetricNames.DRIFT_SHARE)
                    || k.startsWith(MetricNames.DRIFT_PREFIX) && !k.endsWith(MetricNames.DRIFTED_SUFFIX);
            // Rates and scores, not the confusion counts (another scale).
            case "performance" -> k -> (k.startsWith(MetricNames.REALIZED_PREFIX) || k.startsWith(MetricNames.ESTIMATED_PREFIX))
                    && !k.endsWith("_positives") && !k.endsWith("_negatives");
            case "volume" -> k -> k.equals(MetricNames.ROWS) || k.equals(MetricNames.REQUESTS) || k.equals(MetricNames.REFUSED);
            default -> throw CairnException.invalid("kind", kind, "drift, performance or volume");
        };
        MonitoringReport report = report(name, monitoring.status(name).window());
        Set<String> keys = new LinkedHashSet<>();
        for (WindowMetrics w : report.windows()) for (String k : w.values().keySet()) if (wanted.test(k)) keys.add(k);
        List<Map<String, Object>> series = new ArrayList<>();
        for (String key : keys) {
            List<double[]> points = new ArrayList<>();
            for (WindowMetrics w : report.windows()) {
                Double v = w.get(key);
                if (v != null) points.add(new double[] {w.start().toEpochMilli(), v});
            }
            series.add(Map.of("name", label(key), "points", points));
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("x", "window start (" + report.window() + ")");
        chart.put("xType", "time");
        chart.put("y", switch (kind) {
            case "drift" -> "test value";
            case "performance" -> "metric";
            default -> "count";
        });
        chart.put("symbols", true);
        chart.put("series", series);
        if (kind.equals("performance")) {
            // Drawn at first: the usual three of each kind; the legend switches on the others.
            List<String> shown = series.stream().map(m -> (String) m.get("name")).filter(n -> SHOWN.stream().anyMatch(n::endsWith)).toList();
            if (!shown.isEmpty()) chart.put("shown", shown);
        }
        ctx.json(chart);
    }

    /** A feature's drift is named by the feature alone; other metrics keep their names. */
    private static String label(String key) {
        if (key.equals(MetricNames.DRIFT_SHARE)) return "share of drifted features";
        if (key.startsWith(MetricNames.DRIFT_PREFIX)) return key.substring(MetricNames.DRIFT_PREFIX.length());
        return key;
    }

    private MonitoringReport report(String name, String window) {
        return monitoring.report(name, WindowSize.parse(window), null, null);
    }

    private String known(Context ctx) {
        String name = ctx.pathParam("name");
        if (monitoring == null || !monitoring.deployments().contains(name)) throw CairnException.notFound("monitored deployment", name);
        return name;
    }

    private static String report(String name) {
        return "/api/v1/monitoring/deployments/" + Links.encode(name) + "/report";
    }

    private static String num(Double v) {
        return v == null ? "" : Links.number(v);
    }
}

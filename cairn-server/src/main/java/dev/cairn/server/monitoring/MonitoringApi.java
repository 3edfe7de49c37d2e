package dev.cairn.server.monitoring;

import static dev.cairn.server.auth.ResourceLocator.path;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.WindowMetrics;
import dev.cairn.monitor.alert.AlertRules;
import dev.cairn.monitor.report.MonitoringReport;
import dev.cairn.monitor.report.MonitoringReportHtml;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.api.Params;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring over REST, a thin adapter of {@link Monitoring}: each deployment's status, its windows and
 * their metrics, the per-feature drift of a window, alert rules, firing alerts and their history, labels
 * that arrive late, and the HTML/JSON report. Alert rules with webhooks are installed with the CLI on the
 * server's host: a webhook URL from a request would let any client make the server call any address.
 */
public final class MonitoringApi implements DocumentedRoutes {
    public static final String MONITORING = CairnApi.PREFIX + "/monitoring";
    public static final String DEPLOYMENT = MONITORING + "/deployments/{name}";
    private static final String TAG = "monitoring";

    private final Monitoring monitoring;
    private final Runnable flushLog;
    private final List<ApiRoute> routes;

    /** Labels posted for a deployment: each {id, label, time?}; ids match request ids or the {@code join_on} input's values. */
    public record LabelsBody(String joinOn, List<Monitoring.Label> labels) {}

    public record WindowsPage(String deployment, String window, List<WindowMetrics> windows) {}

    public record AlertsView(AlertRules rules, Object firing, Object events) {}

    /** @param flushLog writes what the server's prediction log has queued, so a refresh sees every request answered before it */
    public MonitoringApi(Monitoring monitoring, Runnable flushLog) {
        this.monitoring = monitoring;
        this.flushLog = flushLog;
        this.routes = List.of(
                ApiRoute.get(MONITORING + "/deployments", "Every monitored deployment with its latest window and firing alerts")
                        .tag(TAG).returns(Map.class).access(Access.authenticated()).handle(this::list),
                ApiRoute.get(DEPLOYMENT, "A deployment's monitoring status: latest window's metrics, firing alerts, what its reference lacks")
                        .tag(TAG).returns(Monitoring.Status.class).access(Access.deployment(path("name"), Permission.READ)).handle(ctx -> ctx.json(monitoring.status(name(ctx)))),
                ApiRoute.post(DEPLOYMENT + "/refresh", "Read the deployment's new log segments into its windows and evaluate its alert rules now")
                        .tag(TAG).returns(Monitoring.Refresh.class).access(Access.deployment(path("name"), Permission.EDIT)).handle(ctx -> {
                            flushLog.run();
                            ctx.json(monitoring.refresh(name(ctx), Progress.NONE));
                        }),
                ApiRoute.get(DEPLOYMENT + "/windows", "The deployment's windows with every metric (drift, quality, volume, latency, realized and estimated performance)")
                        .tag(TAG).query("window", "string", "hour, day, week or an ISO-8601 duration (default: the alert rules' or day)")
                        .query("from", "string", "ISO-8601 instant: windows ending after it").query("to", "string", "ISO-8601 instant: windows starting before it")
                        .query("version", "string", "Only this model version")
                        .query("reference", "string", "What drift is measured against: training (default) or window:<start>, e.g. window:2026-11-01")
                        .returns(WindowsPage.class).access(Access.deployment(path("name"), Permission.READ)).handle(this::windows),
                ApiRoute.get(DEPLOYMENT + "/drift", "Per-feature drift of one window (the latest, or the one starting at 'start')")
                        .tag(TAG).query("window", "string", "window size").query("start", "string", "ISO-8601 start of the window")
                        .query("version", "string", "model version").query("reference", "string", "training (default) or window:<start>")
                        .returns(DriftResult.class).access(Access.deployment(path("name"), Permission.READ)).handle(this::drift),
                ApiRoute.get(DEPLOYMENT + "/alerts", "The deployment's alert rules, the alerts firing now and the latest transitions")
                        .tag(TAG).query("limit", "integer", "How many transitions (default 100)").returns(AlertsView.class).access(Access.deployment(path("name"), Permission.READ)).handle(this::alerts),
                ApiRoute.put(DEPLOYMENT + "/alerts", "Install the deployment's alert rules (YAML body; rules with webhooks are installed with `cairn monitor alerts --rules`)")
                        .tag(TAG).rawBody("application/yaml").returns(AlertRules.class).access(Access.deployment(path("name"), Permission.EDIT)).handle(this::putRules),
                ApiRoute.post(DEPLOYMENT + "/labels", "Attach true labels that arrived late: {join_on: request_id or an input field, labels: [{id, label, time?}]}")
                        .tag(TAG).body(LabelsBody.class).returns(Map.class).status(201).access(Access.deployment(path("name"), Permission.EDIT)).handle(this::labels),
                ApiRoute.get(DEPLOYMENT + "/report", "The deployment's monitoring report over a period (HTML, or JSON with format=json)")
                        .tag(TAG).query("window", "string", "window size").query("from", "string", "ISO-8601 instant")
                        .query("to", "string", "ISO-8601 instant").query("format", "string", "html (default) or json")
                        .query("reference", "string", "training (default) or window:<start>")
                        .returnsRaw("text/html").access(Access.deployment(path("name"), Permission.READ)).handle(this::report));
    }

    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private static String name(Context ctx) {
        return ctx.pathParam("name");
    }

    /**
     * The window size asked for, brought up to date first: the server's loop keeps the deployment's own size
     * current, and any other size (an hourly view of a daily-monitored deployment) is built from the log on request.
     */
    private WindowSize current(Context ctx, String deployment) {
        WindowSize size = monitoring.window(deployment, Params.optional(ctx, "window"));
        flushLog.run();
        monitoring.update(deployment, size, Progress.NONE);
        return size;
    }

    private void list(Context ctx) {
        List<Object> out = new ArrayList<>();
        for (String d : AccessControl.readable(ctx, ResourceKind.DEPLOYMENT, monitoring.deployments(), name -> name)) {
            out.add(monitoring.status(d));
        }
        ctx.json(Map.of("deployments", out));
    }

    private void windows(Context ctx) {
        String d = name(ctx);
        WindowSize size = current(ctx, d);
        List<WindowMetrics> windows = monitoring.windows(d, size, instant(ctx, "from"), instant(ctx, "to"), Params.optional(ctx, "version"),
                        Monitoring.Reference.parse(Params.optional(ctx, "reference")))
                .stream().map(Monitoring.WindowResult::metrics).toList();
        ctx.json(new WindowsPage(d, size.name(), windows));
    }

    private void drift(Context ctx) {
        String d = name(ctx);
        WindowSize size = current(ctx, d);
        Instant start = instant(ctx, "start");
        List<Monitoring.WindowResult> all = monitoring.windows(d, size, start, start == null ? null : start.plusMillis(1),
                Params.optional(ctx, "version"), Monitoring.Reference.parse(Params.optional(ctx, "reference")));
        Monitoring.WindowResult chosen = null;
        for (Monitoring.WindowResult r : all) {
            if (r.drift() != null && (start == null || r.metrics().start().equals(start))) chosen = r;
        }
        if (chosen == null) throw CairnException.notFound("Window with drift of deployment '" + d + "'", start == null ? "latest" : start);
        ctx.json(chosen.drift());
    }

    private void alerts(Context ctx) {
        String d = name(ctx);
        String limit = Params.optional(ctx, "limit");
        long n = limit == null ? 100 : Params.parseLong("limit", limit);
        if (n < 1 || n > 10_000) throw CairnException.invalid("limit", n, "a number from 1 to 10000");
        ctx.json(new AlertsView(monitoring.rules(d), monitoring.firing(d), monitoring.history(d, (int) n)));
    }

    private void putRules(Context ctx) {
        String yaml = ctx.body();
        AlertRules parsed = AlertRules.parse(yaml, "request body");
        if (!parsed.webhooks().isEmpty()) {
            throw CairnException.invalid("webhooks", parsed.webhooks().size() + " webhook(s)",
                    "no webhooks over the API; install rules with webhooks on the server's host with `cairn monitor alerts "
                            + name(ctx) + " --rules FILE`");
        }
        ctx.json(monitoring.installRules(name(ctx), yaml));
    }

    private void labels(Context ctx) {
        LabelsBody body = RequestBodies.read(ctx, JsonMappers.strict(), LabelsBody.class);
        if (body.labels() == null) throw CairnException.invalid("labels", null, "an array of {id, label, time?}");
        if (body.labels().size() > 100_000) throw CairnException.invalid("labels", body.labels().size() + " labels", "at most 100000 per request");
        var imported = monitoring.postLabels(name(ctx), body.labels(), body.joinOn() == null ? "request_id" : body.joinOn());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployment", name(ctx));
        out.put("labels", imported.labels());
        out.put("join_on", imported.joinOn());
        ctx.status(201).json(out);
    }

    private void report(Context ctx) {
        String d = name(ctx);
        String format = Params.optional(ctx, "format");
        if (format != null && !format.equals("html") && !format.equals("json")) throw CairnException.invalid("format", format, "html or json");
        MonitoringReport report = monitoring.report(d, current(ctx, d), instant(ctx, "from"), instant(ctx, "to"),
                Monitoring.Reference.parse(Params.optional(ctx, "reference")));
        if ("json".equals(format)) ctx.contentType("application/json").result(report.toJson());
        else ctx.contentType("text/html; charset=utf-8").result(MonitoringReportHtml.render(report));
    }

    private static Instant instant(Context ctx, String name) {
        String text = Params.optional(ctx, name);
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw CairnException.invalid(name, text, "an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
    }
}

package dev.cairn.monitor.report;

import static dev.cairn.data.report.Html.escape;
import static dev.cairn.data.report.Html.number;

import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.report.Html;
import dev.cairn.data.report.Html.Band;
import dev.cairn.data.report.Html.LineChart;
import dev.cairn.data.report.Html.Series;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.WindowMetrics;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The monitoring report as one self-contained HTML page, in the manner of Evidently's reports: a header
 * with the status (firing alerts first), then one section per concern with one chart over the windows
 * (volume, latency, drift, performance, data quality, labels), the per-feature drift of the last window
 * (drifted features first) and the alert timeline. A metric a window does not have is a gap in its line.
 */
public final class MonitoringReportHtml {
    private static final String BLUE = "#1f6feb", ORANGE = "#d97706", GREEN = "#16a34a", RED = "#dc2626", PURPLE = "#7c3aed",
            SLATE = "#64748b", TEAL = "#0d9488";
    /** The performance metrics charted, in this order, when the window metrics have them (estimated or realized). */
    private static final List<String> CLASSIFICATION = List.of("precision", "recall", "roc_auc");
    private static final List<String> REGRESSION = List.of("rmse", "mae");
    private static final List<String> METRIC_COLORS = List.of(BLUE, ORANGE, GREEN);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String CSS = """
            section{margin-top:1.5rem}section p{margin:.3rem 0}
            .status{border-radius:.4rem;padding:.5rem 1rem;margin:1rem 0}.status ul{margin:.3rem 0}
            .status.red{border:1px solid #d33}.status.green{border:1px solid #3a3}
            svg.chart{max-width:100%;height:auto;display:block}svg.spark{display:block}
            .empty{font-size:1.2rem;padding:1.5rem;border:1px dashed #aab;border-radius:.4rem;background:#fafbfd}
            """;

    private MonitoringReportHtml() {}

    public static String render(MonitoringReport r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        Timeline t = Timeline.of(r.windows());
        b.append("<header><h1>Monitoring of ").append(escape(r.deployment())).append("</h1>");
        b.append("<p>Model <b>").append(escape(r.model())).append("</b>").append(versions(r.windows())).append(" · ").append(escape(r.window()))
                .append(" windows from ").append(when(r.from())).append(" to ").append(when(r.to())).append(" · generated ")
                .append(when(r.generatedAt())).append("</p>");
        status(b, r);
        if (noPredictions(r.windows())) {
            b.append("<p class=\"empty\" id=\"no-predictions\">No predictions in this period: no ").append(escape(r.window()))
                    .append(" window from ").append(when(r.from())).append(" to ").append(when(r.to()))
                    .append(" has a prediction of this deployment, so there is nothing to chart.</p>");
            facts(b, r);
            b.append("</header>");
        } else {
            facts(b, r);
            b.append("</header>");
            volume(b, t);
            latency(b, t);
            drift(b, t, r);
            performance(b, t);
            quality(b, t);
            labels(b, t);
            features(b, t, r);
        }
        alerts(b, r);
        return Html.page("Monitoring of " + r.deployment() + " (" + r.model() + ")", CSS, b.toString());
    }

    private static boolean noPredictions(List<WindowMetrics> windows) {
        return windows.isEmpty() || windows.stream().allMatch(w -> w.get(MetricNames.ROWS) != null && w.get(MetricNames.ROWS) == 0);
    }

    private static String versions(List<WindowMetrics> windows) {
        TreeSet<String> versions = new TreeSet<>();
        for (WindowMetrics w : windows) if (w.modelVersion() != null) versions.add(w.modelVersion());
        if (versions.isEmpty()) return "";
        return (versions.size() == 1 ? " version " : " versions ") + escape(String.join(", ", versions));
    }

    // ---- header ----

    private static void status(StringBuilder b, MonitoringReport r) {
        if (r.firing().isEmpty()) {
            b.append("<div class=\"status green\" id=\"status\"><b>No alert firing.</b></div>");
            return;
        }
        // The latest transition of each firing rule says why it fires; the most severe come first.
        Map<String, ReportAlert> latest = new LinkedHashMap<>();
        for (String rule : r.firing()) {
            latest.put(rule, r.alerts().stream().filter(a -> a.rule().equals(rule) && a.firing())
                    .max(Comparator.comparing(ReportAlert::windowEnd)).orElse(null));
        }
        List<String> rules = new ArrayList<>(latest.keySet());
        rules.sort(Comparator.comparingInt((String rule) -> severityRank(latest.get(rule))).thenComparing(rule -> rule));
        b.append("<div class=\"status red\" id=\"status\"><b>").append(rules.size()).append(rules.size() == 1 ? " alert" : " alerts")
                .append(" firing</b><ul>");
        for (String rule : rules) {
            ReportAlert a = latest.get(rule);
            b.append("<li class=\"firing\"><b>").append(escape(rule)).append("</b>");
            if (a != null) {
                b.append(a.severity() == null ? "" : " (" + escape(a.severity()) + ")").append(": ").append(condition(a))
                        .append(", since the window of ").append(when(a.windowStart()));
            }
            b.append("</li>");
        }
        b.append("</ul></div>");
    }

    private static int severityRank(ReportAlert a) {
        if (a == null || a.severity() == null) return 4;
        return switch (a.severity().toLowerCase(Locale.ROOT)) {
            case "critical" -> 0;
            case "error" -> 1;
            case "warning" -> 2;
            case "info" -> 3;
            default -> 4;
        };
    }

    private static String condition(ReportAlert a) {
        return escape(a.metric() == null ? "" : a.metric()) + " = " + number(a.value())
                + (a.threshold() == null ? "" : " (" + escape(a.comparison() == null ? "vs" : a.comparison()) + " " + number(a.threshold()) + ")");
    }

    private static void facts(StringBuilder b, MonitoringReport r) {
        List<WindowMetrics> ws = r.windows();
        Double rows = sum(ws, MetricNames.ROWS), requests = sum(ws, MetricNames.REQUESTS), refused = sum(ws, MetricNames.REFUSED);
        b.append("<table class=\"facts\" id=\"facts\">");
        fact(b, "Windows with data", ws.size() + " " + escape(r.window()) + (ws.size() == 1 ? " window" : " windows"));
        fact(b, "Rows scored", number(ws.isEmpty() ? Double.valueOf(0) : rows));
        if (requests != null) {
            fact(b, "Requests", number(requests) + (refused == null ? "" : ", " + number(refused) + " refused ("
                    + percent(requests > 0 ? refused / requests : null) + ")"));
        }
        fact(b, "Label coverage", coverage(ws));
        if (r.latestDrift() != null) {
            DriftResult d = r.latestDrift();
            fact(b, "Drift in the last window", d.driftedColumns() + " of " + d.columns() + " features drifted"
                    + (d.datasetDrift() ? " — <span class=\"badge red\">dataset drift</span>" : ""));
        }
        b.append("</table>");
    }

    private static void fact(StringBuilder b, String name, String html) {
        b.append("<tr><th>").append(escape(name)).append("</th><td>").append(html).append("</td></tr>");
    }

    private static Double sum(List<WindowMetrics> windows, String metric) {
        Double total = null;
        for (WindowMetrics w : windows) {
            Double v = w.get(metric);
            if (v != null) total = (total == null ? 0 : total) + v;
        }
        return total;
    }

    /** The share of the period's rows with a label: each window's coverage weighted by its rows (unweighted when rows are unknown). */
    private static String coverage(List<WindowMetrics> windows) {
        double labelled = 0, rows = 0, plain = 0;
        int n = 0;
        for (WindowMetrics w : windows) {
            Double c = w.get(MetricNames.LABEL_COVERAGE);
            if (c == null) continue;
            n++;
            plain += c;
            Double r = w.get(MetricNames.ROWS);
            if (r != null) {
                labelled += c * r;
                rows += r;
            }
        }
        if (n == 0) return "no labels yet";
        return percent(rows > 0 ? labelled / rows : plain / n) + " of rows (" + n + " of " + windows.size() + " windows have labels)";
    }

    // ---- charts ----

    private static void section(StringBuilder b, String id, String title, String caption, LineChart chart) {
        b.append("<section id=\"").append(id).append("\"><h2>").append(escape(title)).append("</h2>");
        if (caption != null) b.append("<p class=\"muted\">").append(caption).append("</p>");
        b.append(Html.lineChart(chart));
    }

    private static LineChart chart(String id, String title, String yLabel, Timeline t, List<Series> series, List<Band> bands, List<Double> include) {
        return new LineChart(id + "-chart", title, yLabel, t.x(), t.labels(), series, bands, include);
    }

    private static void volume(StringBuilder b, Timeline t) {
        List<Series> series = new ArrayList<>();
        series.add(Series.line("rows", BLUE, t.values(MetricNames.ROWS)));
        if (t.has(MetricNames.REQUESTS)) series.add(Series.line("requests", SLATE, t.values(MetricNames.REQUESTS)));
        if (t.has(MetricNames.REFUSED)) series.add(Series.line("refused", RED, t.values(MetricNames.REFUSED)));
        if (t.has(MetricNames.REFUSED_RATE)) series.add(Series.line("refused rate (right axis)", ORANGE, t.values(MetricNames.REFUSED_RATE)).asDashed().onRightAxis());
        section(b, "volume", "Volume", "Rows scored and requests answered per window; refused requests (bad input, HTTP 4xx) and their share of all requests.",
                chart("volume", "Volume and refused requests", "per window", t, series, List.of(), List.of(0.0)));
        b.append("</section>");
    }

    private static void latency(StringBuilder b, Timeline t) {
        List<Series> series = List.of(Series.line("p50", GREEN, t.values(MetricNames.LATENCY_P50)),
                Series.line("p95", ORANGE, t.values(MetricNames.LATENCY_P95)), Series.line("p99", RED, t.values(MetricNames.LATENCY_P99)));
        section(b, "latency", "Latency", "Percentiles of the time to answer a request, per window.",
                chart("latency", "Latency percentiles", "milliseconds", t, series, List.of(), List.of(0.0)));
        b.append("</section>");
    }

    private static void drift(StringBuilder b, Timeline t, MonitoringReport r) {
        List<Series> series = new ArrayList<>();
        List<Band> bands = new ArrayList<>();
        boolean multivariate = t.has(MetricNames.RECONSTRUCTION_ERROR);
        Series share = Series.line("drift share" + (multivariate ? " (right axis)" : ""), BLUE, t.values(MetricNames.DRIFT_SHARE));
        series.add(multivariate ? share.onRightAxis() : share);
        MonitoringReport.Thresholds th = r.multivariateThresholds();
        if (multivariate) {
            series.add(Series.line("reconstruction error", PURPLE, t.values(MetricNames.RECONSTRUCTION_ERROR)));
            if (th != null && th.lower() != null && th.upper() != null) {
                bands.add(new Band("expected reconstruction error", PURPLE, t.constant(th.lower()), t.constant(th.upper())));
            } else if (th != null) {
                series.add(Series.line(th.upper() != null ? "upper threshold" : "lower threshold", RED,
                        t.constant(th.upper() != null ? th.upper() : th.lower())).asDashed());
            }
        }
        StringBuilder caption = new StringBuilder("The share of input features whose drift test flags drift");
        if (multivariate) {
            caption.append(" (right axis), and the mean PCA reconstruction error of the window's rows (multivariate drift)");
            if (th != null) caption.append(" with its expected band from the reference");
        }
        caption.append('.');
        Double prediction = last(t, MetricNames.PREDICTION_DRIFT_SCORE);
        if (prediction != null) caption.append(" Drift of the model's score in the last window that has it: ").append(number(prediction)).append('.');
        section(b, "drift", "Drift", caption.toString(),
                chart("drift", "Drift share" + (multivariate ? " and multivariate drift" : ""), multivariate ? "reconstruction error" : "share of features",
                        t, series, bands, multivariate ? List.of() : List.of(0.0, 1.0)));
        b.append("</section>");
    }

    private static Double last(Timeline t, String metric) {
        List<Double> values = t.values(metric);
        for (int i = values.size() - 1; i >= 0; i--) if (values.get(i) != null) return values.get(i);
        return null;
    }

    private static void performance(StringBuilder b, Timeline t) {
        List<String> metrics = new ArrayList<>();
        for (String m : CLASSIFICATION) if (t.has(MetricNames.estimated(m)) || t.has(MetricNames.realized(m))) metrics.add(m);
        boolean regression = metrics.isEmpty();
        if (regression) for (String m : REGRESSION) if (t.has(MetricNames.estimated(m)) || t.has(MetricNames.realized(m))) metrics.add(m);
        List<Series> series = new ArrayList<>();
        List<Band> bands = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            String m = metrics.get(i), color = METRIC_COLORS.get(i % METRIC_COLORS.size()), est = MetricNames.estimated(m);
            if (t.has(est)) {
                series.add(Series.line("estimated " + m, color, t.values(est)).asDashed());
                if (t.has(est + MetricNames.LOWER_SUFFIX) && t.has(est + MetricNames.UPPER_SUFFIX)) {
                    bands.add(new Band(m + " estimate's interval", color, t.values(est + MetricNames.LOWER_SUFFIX), t.values(est + MetricNames.UPPER_SUFFIX)));
                }
            }
            if (t.has(MetricNames.realized(m))) series.add(Series.line("realized " + m, color, t.values(MetricNames.realized(m))));
        }
        section(b, "performance", "Performance", "Performance estimated before labels arrive (CBPE, dashed, with its interval shaded) and realized"
                        + " once they have (solid). Realized values of recent windows appear as their labels arrive.",
                chart("performance", "Estimated and realized performance", regression && !metrics.isEmpty() ? "error" : "score", t, series, bands,
                        regression ? List.of(0.0) : List.of()));
        latestPerformance(b, t);
        b.append("</section>");
    }

    /** Every estimated and realized metric's last value, charted or not. */
    private static void latestPerformance(StringBuilder b, Timeline t) {
        TreeSet<String> names = new TreeSet<>();
        for (WindowMetrics w : t.slots()) {
            if (w == null) continue;
            for (String k : w.values().keySet()) {
                if (k.endsWith(MetricNames.LOWER_SUFFIX) || k.endsWith(MetricNames.UPPER_SUFFIX)) continue;
                if (k.startsWith(MetricNames.ESTIMATED_PREFIX)) names.add(k.substring(MetricNames.ESTIMATED_PREFIX.length()));
                if (k.startsWith(MetricNames.REALIZED_PREFIX)) names.add(k.substring(MetricNames.REALIZED_PREFIX.length()));
            }
        }
        if (names.isEmpty()) return;
        b.append("<table id=\"performance-latest\"><tr><th>metric</th><th class=num>estimated (last window)</th><th>interval</th>"
                + "<th class=num>realized (last labelled window)</th></tr>");
        for (String m : names) {
            String est = MetricNames.estimated(m);
            b.append("<tr><td>").append(escape(m)).append("</td><td class=num>").append(number(last(t, est))).append("</td><td>");
            Double lower = last(t, est + MetricNames.LOWER_SUFFIX), upper = last(t, est + MetricNames.UPPER_SUFFIX);
            if (lower != null && upper != null) b.append('[').append(number(lower)).append(", ").append(number(upper)).append(']');
            b.append("</td><td class=num>").append(number(last(t, MetricNames.realized(m)))).append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void quality(StringBuilder b, Timeline t) {
        List<Series> series = List.of(Series.line("missing", BLUE, t.values(MetricNames.MISSING_RATE)),
                Series.line("out of range", ORANGE, t.values(MetricNames.OUT_OF_RANGE_RATE)),
                Series.line("unseen category", PURPLE, t.values(MetricNames.UNSEEN_RATE)),
                Series.line("wrong type", RED, t.values(MetricNames.TYPE_ERROR_RATE)));
        section(b, "quality", "Data quality", "Shares of input cells (rows × features) that were missing, outside the signature's range, "
                        + "categories never seen in training, or of the wrong type.",
                chart("quality", "Data quality", "share of input cells", t, series, List.of(), List.of(0.0)));
        b.append("</section>");
    }

    private static void labels(StringBuilder b, Timeline t) {
        List<Series> series = new ArrayList<>(List.of(Series.line("label coverage", TEAL, t.values(MetricNames.LABEL_COVERAGE))));
        if (t.has(MetricNames.LABEL_LAG_HOURS)) {
            series.add(Series.line("median label lag, hours (right axis)", SLATE, t.values(MetricNames.LABEL_LAG_HOURS)).asDashed().onRightAxis());
        }
        section(b, "labels", "Labels", "Share of each window's rows that have a label, and the median time from prediction to label.",
                chart("labels", "Label coverage", "share of rows labelled", t, series, List.of(), List.of(0.0, 1.0)));
        b.append("</section>");
    }

    // ---- tables ----

    /** A feature's row of the drift table: from the last window's drift result, or else from the window metrics alone. */
    private record FeatureRow(String feature, String type, String test, Double value, Double threshold, boolean drifted) {}

    private static void features(StringBuilder b, Timeline t, MonitoringReport r) {
        List<FeatureRow> rows = new ArrayList<>();
        DriftResult d = r.latestDrift();
        if (d != null) {
            for (FeatureDrift f : d.features()) rows.add(new FeatureRow(f.column(), f.type(), f.test(), f.value(), f.threshold(), f.drifted()));
        } else {
            for (String feature : featuresInMetrics(t)) {
                Double drifted = last(t, MetricNames.drifted(feature));
                rows.add(new FeatureRow(feature, null, null, last(t, MetricNames.drift(feature)), null, drifted != null && drifted > 0));
            }
        }
        // Drifted features first, as Evidently orders them; otherwise the order of the drift result.
        rows.sort(Comparator.comparing((FeatureRow f) -> !f.drifted()));
        b.append("<section id=\"features\"><h2>Feature drift</h2>");
        if (d != null) {
            b.append("<p>Last window with data: ").append(escape(d.current())).append(", against ").append(escape(d.reference())).append(". ")
                    .append(d.driftedColumns()).append(" of ").append(d.columns()).append(" features drifted (share ").append(number(d.driftShare()))
                    .append(d.datasetDrift() ? "): <span class=\"badge red\">DATASET DRIFT</span></p>" : "): <span class=\"badge green\">no dataset drift</span></p>");
        } else {
            b.append("<p class=\"muted\">No drift result for the last window: values and verdicts are each feature's last in the window metrics.</p>");
        }
        if (rows.isEmpty()) {
            b.append("<p>No feature was compared with the reference.</p></section>");
            return;
        }
        b.append("<p class=\"muted\">The line beside each feature is its test's value over the windows, the dashed level its threshold "
                + "(a p-value drifts below it, a distance at or above it).</p>");
        b.append("<table id=\"feature-drift\"><tr><th>feature</th><th>type</th><th>test</th><th class=num>value</th><th class=num>threshold</th>"
                + "<th>drifted</th><th>over windows</th></tr>");
        for (FeatureRow f : rows) {
            b.append("<tr class=\"").append(f.drifted() ? "red" : "green").append("\" data-feature=\"").append(escape(f.feature())).append("\"><td>")
                    .append(escape(f.feature())).append("</td><td>").append(escape(f.type())).append("</td><td>").append(escape(f.test()))
                    .append("</td><td class=num>").append(number(f.value())).append("</td><td class=num>").append(number(f.threshold()))
                    .append("</td><td>").append(f.drifted() ? "<b>drift</b>" : "no drift").append("</td><td>")
                    .append(Html.sparkline(t.values(MetricNames.drift(f.feature())), f.threshold(), f.drifted() ? RED : BLUE,
                            "drift of " + f.feature() + " over windows"))
                    .append("</td></tr>");
        }
        b.append("</table>");
        if (d != null && !d.skipped().isEmpty()) {
            b.append("<p>Not compared:</p><ul>");
            for (String s : d.skipped()) b.append("<li>").append(escape(s)).append("</li>");
            b.append("</ul>");
        }
        b.append("</section>");
    }

    /** Features named by {@code drift.<feature>.drifted} in any window (a feature's name may itself contain dots). */
    private static TreeSet<String> featuresInMetrics(Timeline t) {
        TreeSet<String> features = new TreeSet<>();
        for (WindowMetrics w : t.slots()) {
            if (w == null) continue;
            for (String k : w.values().keySet()) {
                if (k.startsWith(MetricNames.DRIFT_PREFIX) && k.endsWith(MetricNames.DRIFTED_SUFFIX)
                        && k.length() > MetricNames.DRIFT_PREFIX.length() + MetricNames.DRIFTED_SUFFIX.length()) {
                    features.add(k.substring(MetricNames.DRIFT_PREFIX.length(), k.length() - MetricNames.DRIFTED_SUFFIX.length()));
                }
            }
        }
        return features;
    }

    private static void alerts(StringBuilder b, MonitoringReport r) {
        b.append("<section id=\"alerts\"><h2>Alerts</h2>");
        if (r.alerts().isEmpty()) {
            b.append("<p>No alert fired or resolved in this period.</p></section>");
            return;
        }
        List<ReportAlert> alerts = new ArrayList<>(r.alerts());
        alerts.sort(Comparator.comparing(ReportAlert::windowEnd).thenComparing(ReportAlert::windowStart).thenComparing(ReportAlert::rule));
        b.append("<table id=\"alert-timeline\"><tr><th>window</th><th>rule</th><th>state</th><th>severity</th><th>metric</th>"
                + "<th class=num>value</th><th>condition</th></tr>");
        for (ReportAlert a : alerts) {
            b.append("<tr><td>").append(when(a.windowStart())).append(" – ").append(when(a.windowEnd())).append("</td><td>").append(escape(a.rule()))
                    .append("</td><td><span class=\"badge ").append(a.firing() ? "red\">FIRING" : "green\">RESOLVED").append("</span></td><td>")
                    .append(escape(a.severity())).append("</td><td>").append(escape(a.metric())).append("</td><td class=num>").append(number(a.value()))
                    .append("</td><td>").append(a.threshold() == null ? "" : escape(a.comparison() == null ? "" : a.comparison()) + " " + number(a.threshold()))
                    .append("</td></tr>");
        }
        b.append("</table></section>");
    }

    // ---- formatting ----

    private static String when(Instant t) {
        return t == null ? "–" : escape(WHEN.format(t));
    }

    private static String percent(Double share) {
        if (share == null) return "–";
        double p = share * 100;
        return String.format(Locale.ROOT, p != 0 && Math.abs(p) < 1 ? "%.2f%%" : "%.1f%%", p);
    }
}

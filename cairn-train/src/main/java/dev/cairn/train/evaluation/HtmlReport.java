package dev.cairn.train.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The evaluation report as one self-contained HTML page: inline CSS and SVG, no script and no
 * network, so it opens from a file, an artifact store or an e-mail attachment alike.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(Report r) {
        Report.ModelResult c = r.candidate();
        Report.ModelResult ch = r.champion();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cairn evaluation ")
                .append(Html.escape(r.runId())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        Verdict v = r.verdict();
        h.append("<header><h1>Evaluation of ").append(Html.escape(c.modelUri())).append("</h1>");
        h.append("<p class=\"verdict ").append(v.blessed() ? "blessed" : "refused").append("\" id=\"verdict\">")
                .append(v.blessed() ? "BLESSED" : "NOT BLESSED").append("</p>");
        h.append("<p>").append(Html.escape(v.summary())).append("</p>");
        h.append("<table class=\"facts\"><tr><th>Run</th><td>").append(Html.escape(r.runId())).append("</td></tr>")
                .append("<tr><th>Created</th><td>").append(Html.escape(r.createdAt())).append("</td></tr>")
                .append("<tr><th>Data</th><td>").append(Html.escape(r.data().path())).append(" (").append(r.data().rows()).append(" rows, SHA-256 ")
                .append(Html.escape(r.data().sha256().substring(0, 16))).append("…)</td></tr>")
                .append("<tr><th>Label</th><td>").append(Html.escape(r.data().label()))
                .append(r.data().positiveClass() == null ? "" : " (positive class: " + Html.escape(r.data().positiveClass()) + ")").append("</td></tr>")
                .append("<tr><th>Business metric</th><td>").append(Html.escape(r.businessMetric())).append("</td></tr>")
                .append("<tr><th>Compared with</th><td>").append(ch == null ? "no champion yet (alias '" + Html.escape(v.alias()) + "' is not set)"
                        : Html.escape(ch.modelUri()) + (ch.version() == null ? "" : " = version " + ch.version())).append("</td></tr>");
        if (c.threshold() != null) {
            h.append("<tr><th>Decision threshold</th><td>").append(num(c.threshold())).append(" on P(").append(Html.escape(c.positiveClass()))
                    .append("), ").append(Html.escape(c.thresholdSource())).append("</td></tr>");
        }
        h.append("</table></header>\n");

        section(h, "Verdict", "verdict-table");
        h.append("<table><tr><th>Threshold</th><th>Kind</th><th>Candidate</th><th>Champion</th><th>Observed</th><th>Result</th></tr>");
        if (v.checks().isEmpty()) h.append("<tr><td colspan=\"6\">No thresholds declared.</td></tr>");
        for (Verdict.Check k : v.checks()) {
            String result = k.skipped() ? "skipped" : k.passed() ? "pass" : "FAIL";
            h.append("<tr class=\"").append(k.skipped() ? "skip" : k.passed() ? "pass" : "fail").append("\"><td>").append(Html.escape(k.threshold()))
                    .append(k.column() == null ? "" : " [" + Html.escape(k.column()) + "]").append("</td><td>").append(k.kind().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(num(k.candidate())).append("</td><td>").append(num(k.champion())).append("</td><td>")
                    .append(num(k.observed())).append("</td><td>").append(result).append("</td></tr>");
        }
        h.append("</table></section>\n");

        section(h, "Metrics", "metrics");
        h.append("<table><tr><th>Metric</th><th>Candidate</th><th>Champion</th><th>Change</th></tr>");
        Set<String> names = new LinkedHashSet<>();
        names.add(r.businessMetric());
        names.addAll(c.metrics().keySet());
        for (String name : names) {
            Double cv = c.metrics().get(name);
            Double hv = ch == null ? null : ch.metrics().get(name);
            h.append("<tr").append(name.equals(r.businessMetric()) ? " class=\"headline\"" : "").append("><td>").append(Html.escape(name)).append("</td><td>")
                    .append(num(cv));
            Bootstrap.Interval ci = c.intervals() == null ? null : c.intervals().get(name);
            if (ci != null) h.append(" <span class=\"ci\">[").append(num(ci.lower())).append(", ").append(num(ci.upper())).append("] 95% bootstrap</span>");
            h.append("</td><td>").append(num(hv)).append("</td><td>").append(cv != null && hv != null ? signed(cv - hv) : "").append("</td></tr>");
        }
        h.append("</table></section>\n");

        if (c.curves() != null) {
            section(h, "Curves", "curves");
            h.append("<div class=\"charts\">");
            h.append(Svg.unitChart("roc-chart", "ROC curve", "False positive rate", "True positive rate",
                    series(c, ch, m -> m.curves().roc(), 0, 1, false), true));
            h.append(Svg.unitChart("pr-chart", "Precision–recall curve", "Recall", "Precision",
                    series(c, ch, m -> m.curves().precisionRecall(), 1, 0, false), false));
            h.append(Svg.unitChart("calibration-chart", "Calibration", "Mean predicted probability", "Observed share positive",
                    series(c, ch, m -> m.curves().calibration().stream().map(b -> new double[] {b.meanPredicted(), b.fractionPositive()}).toList(), 0, 1, true), true));
            h.append("</div>");
            h.append("<div class=\"charts\">").append(confusion("Candidate", c));
            if (ch != null && ch.confusion() != null) h.append(confusion("Champion", ch));
            h.append("</div></section>\n");
        }

        if (c.importance() != null && !c.importance().isEmpty()) {
            section(h, "Explanations: global importance", "importance");
            h.append(Svg.bars("importance-chart", "Permutation importance (drop in " + ModelEvaluator.permutationMetricName(
                    dev.cairn.train.data.Task.parse(c.task())) + " when an input is shuffled)",
                    c.importance().stream().map(Report.Importance::input).toList(),
                    c.importance().stream().map(Report.Importance::permutation).toList(), Svg.CANDIDATE_COLOR));
            h.append("<table><tr><th>Input</th><th>Permutation (± sd)</th><th>XGBoost total gain</th><th>Mean |contribution|</th></tr>");
            for (Report.Importance i : c.importance()) {
                h.append("<tr><td>").append(Html.escape(i.input())).append("</td><td>").append(num(i.permutation())).append(" ± ").append(num(i.permutationStd()))
                        .append("</td><td>").append(num(i.gain())).append("</td><td>").append(num(i.meanAbsContribution())).append("</td></tr>");
            }
            h.append("</table><p class=\"note\">Per-prediction contributions (TreeSHAP for XGBoost, coefficient × value for linear models) "
                    + "come from the runtime's <code>Model.explain(row)</code> and from serving with <code>\"explain\": true</code>.</p></section>\n");
        }

        if (c.slices() != null && !c.slices().isEmpty()) {
            section(h, "Slices", "slices");
            for (Report.Slice s : c.slices()) {
                h.append("<h3>").append(Html.escape(s.column())).append("</h3><table><tr><th>Group</th><th>Rows</th>");
                boolean positives = s.rows().stream().anyMatch(row -> row.positives() != null);
                if (positives) h.append("<th>Positives</th>");
                List<String> keys = s.rows().isEmpty() ? List.of() : new ArrayList<>(s.rows().getFirst().metrics().keySet());
                for (String k : keys) h.append("<th>").append(Html.escape(k)).append("</th>");
                h.append("</tr>");
                for (Report.SliceRow row : s.rows()) {
                    h.append("<tr><td>").append(Html.escape(row.group())).append("</td><td>").append(row.count()).append("</td>");
                    if (positives) h.append("<td>").append(row.positives()).append("</td>");
                    for (String k : keys) h.append("<td>").append(num(row.metrics().get(k))).append("</td>");
                    h.append("</tr>");
                }
                h.append("</table>");
            }
            h.append("</section>\n");
        }

        if (c.fairness() != null && !c.fairness().isEmpty()) {
            section(h, "Fairness", "fairness");
            for (Report.FairnessReport f : c.fairness()) {
                h.append("<h3>").append(Html.escape(f.column())).append("</h3>");
                h.append("<p>Demographic parity difference ").append(num(f.demographicParityDifference()))
                        .append(" · equal opportunity difference ").append(num(f.equalOpportunityDifference()))
                        .append(" · disparate impact ratio ").append(num(f.disparateImpactRatio()))
                        .append(f.fourFifthsRuleViolated() ? " <span class=\"flag\">below 0.8: four-fifths rule violated</span>"
                                : f.disparateImpactRatio() == null ? "" : " (meets the four-fifths rule)")
                        .append("</p>");
                if (f.note() != null) h.append("<p>").append(Html.escape(f.note())).append("</p>");
                h.append("<table><tr><th>Group</th><th>Rows</th><th>Positives</th><th>Selection rate</th><th>TPR</th><th>FPR</th><th>Precision</th></tr>");
                for (Report.FairnessGroup g : f.groups()) {
                    h.append("<tr><td>").append(Html.escape(g.group())).append(g.tooSmall() ? " (too small)" : "").append("</td><td>")
                            .append(g.count()).append("</td><td>").append(g.positives())
                            .append("</td><td>").append(num(g.selectionRate())).append("</td><td>").append(num(g.truePositiveRate()))
                            .append("</td><td>").append(num(g.falsePositiveRate())).append("</td><td>").append(num(g.precision())).append("</td></tr>");
                }
                h.append("</table>");
            }
            h.append("</section>\n");
        }
        h.append("<footer>Generated by Cairn. The same content is in evaluation/report.json of run ").append(Html.escape(r.runId())).append(".</footer>");
        return h.append("</body></html>\n").toString();
    }

    private static List<Svg.Series> series(Report.ModelResult c, Report.ModelResult ch,
                                           java.util.function.Function<Report.ModelResult, List<double[]>> points, int xi, int yi, boolean markers) {
        List<Svg.Series> out = new ArrayList<>();
        out.add(new Svg.Series("candidate", Svg.CANDIDATE_COLOR, pick(points.apply(c), xi, yi), markers, false));
        if (ch != null && ch.curves() != null) out.add(new Svg.Series("champion", Svg.CHAMPION_COLOR, pick(points.apply(ch), xi, yi), markers, true));
        return out;
    }

    private static List<double[]> pick(List<double[]> points, int xi, int yi) {
        return points.stream().map(p -> new double[] {p[xi], p[yi]}).toList();
    }

    private static String confusion(String title, Report.ModelResult m) {
        BinaryMetrics.Confusion k = m.confusion();
        String pos = Html.escape(m.positiveClass());
        return "<table class=\"confusion\" id=\"confusion-" + title.toLowerCase(Locale.ROOT) + "\"><caption>" + title + " confusion matrix at "
                + num(m.threshold()) + "</caption><tr><th></th><th>predicted " + pos + "</th><th>predicted other</th></tr>"
                + "<tr><th>actual " + pos + "</th><td class=\"good\">" + k.truePositives() + "</td><td class=\"bad\">" + k.falseNegatives() + "</td></tr>"
                + "<tr><th>actual other</th><td class=\"bad\">" + k.falsePositives() + "</td><td class=\"good\">" + k.trueNegatives() + "</td></tr></table>";
    }

    private static void section(StringBuilder h, String title, String id) {
        h.append("<section id=\"").append(id).append("\"><h2>").append(Html.escape(title)).append("</h2>");
    }

    static String num(Double v) {
        if (v == null) return "";
        if (v.isNaN()) return "n/a";
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#111827;padding:0 16px}
            h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #e5e7eb;padding-bottom:4px;margin-top:28px}h3{font-size:15px}
            table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left}
            th{background:#f9fafb}.verdict{display:inline-block;font-weight:700;font-size:18px;padding:6px 14px;border-radius:6px}
            .blessed{background:#dcfce7;color:#166534}.refused{background:#fee2e2;color:#991b1b}
            tr.fail td{background:#fef2f2}tr.pass td:last-child{color:#166534}tr.skip td{color:#6b7280}tr.headline td{font-weight:600}
            .ci{color:#6b7280;font-weight:400}.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            .chart{border:1px solid #e5e7eb;border-radius:6px;background:#fff}.chart .title{font-size:13px;font-weight:600}
            .chart .tick{font-size:10px;fill:#374151}.chart .axis{font-size:11px;fill:#111827}.chart .legend{font-size:11px}
            .confusion td{text-align:center;min-width:70px;font-size:15px}.confusion td.good{background:#dcfce7}.confusion td.bad{background:#fee2e2}
            .confusion caption{font-weight:600;margin-bottom:4px}.flag{color:#991b1b;font-weight:600}.note,footer{color:#6b7280;font-size:12px}
            footer{margin-top:32px}""";
}

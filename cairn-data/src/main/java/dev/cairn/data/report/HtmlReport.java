package dev.cairn.data.report;

import static dev.cairn.data.report.Html.escape;
import static dev.cairn.data.report.Html.number;

import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.Histogram;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.data.source.MalformedRow;
import java.util.List;
import java.util.Map;

/** Self-contained HTML reports of a profile, a validation and a drift comparison (inline SVG charts). */
public final class HtmlReport {
    private static final int TOP_SHOWN = 20;

    private HtmlReport() {}

    public static String profile(DatasetProfile p) {
        StringBuilder b = new StringBuilder("<h1>Profile of " + escape(p.source()) + "</h1>");
        b.append("<p>").append(p.rowCount()).append(" rows, ").append(p.columns().size()).append(" columns");
        if (p.malformedRowCount() > 0) b.append(", <span class=\"badge amber\">").append(p.malformedRowCount()).append(" malformed lines not read</span>");
        b.append("</p>");
        b.append(malformed(p.malformedRows()));
        b.append("<table><tr><th>column</th><th>type</th><th class=num>missing</th><th class=num>distinct</th><th class=num>min</th>"
                + "<th class=num>max</th><th class=num>mean</th><th class=num>std dev</th></tr>");
        for (ColumnProfile c : p.columns()) {
            b.append("<tr><td><a href=\"#c-").append(escape(c.name())).append("\">").append(escape(c.name())).append("</a></td><td>")
                    .append(escape(c.duckType())).append("</td><td class=num>").append(c.missing()).append("</td><td class=num>")
                    .append(c.numeric() != null ? c.numeric().distinct() : c.strings().distinct()).append("</td>");
            if (c.numeric() != null) {
                b.append("<td class=num>").append(number(c.numeric().min())).append("</td><td class=num>").append(number(c.numeric().max()))
                        .append("</td><td class=num>").append(number(c.numeric().mean())).append("</td><td class=num>")
                        .append(number(c.numeric().stdDev())).append("</td>");
            } else {
                b.append("<td class=num>").append(escape(c.strings().min())).append("</td><td class=num>").append(escape(c.strings().max()))
                        .append("</td><td></td><td></td>");
            }
            b.append("</tr>");
        }
        b.append("</table>");
        for (ColumnProfile c : p.columns()) b.append(column(c));
        return Html.page("Profile of " + p.source(), b.toString());
    }

    private static String malformed(List<MalformedRow> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<table><tr><th>line</th><th>error</th><th>text</th></tr>");
        for (MalformedRow r : rows) {
            b.append("<tr class=amber><td class=num>").append(r.line()).append("</td><td>").append(escape(r.error())).append("</td><td><code>")
                    .append(escape(r.text())).append("</code></td></tr>");
        }
        return b.append("</table>").toString();
    }

    private static String column(ColumnProfile c) {
        StringBuilder b = new StringBuilder("<h2 id=\"c-" + escape(c.name()) + "\">" + escape(c.name()) + " <span class=muted>"
                + escape(c.duckType()) + "</span></h2><div class=col><table>");
        row(b, "rows", (double) c.count());
        row(b, "missing", (double) c.missing());
        row(b, "completeness", c.completeness());
        for (Map.Entry<String, Long> t : c.typeCounts().entrySet()) row(b, "type " + t.getKey(), (double) t.getValue());
        String chart;
        if (c.numeric() != null) {
            var n = c.numeric();
            row(b, "min", n.min());
            row(b, "max", n.max());
            row(b, "mean", n.mean());
            row(b, "std dev", n.stdDev());
            row(b, "zeros", (double) n.zeros());
            row(b, "NaN", (double) n.nan());
            row(b, "infinite", (double) n.infinite());
            row(b, "distinct (approx.)", (double) n.distinct());
            n.quantiles().forEach((q, v) -> row(b, "quantile " + q, v));
            chart = n.equalWidthHistogram() == null ? "" : "<div><p>Equal-width histogram" + approximate(n.equalWidthHistogram()) + "</p>"
                    + Html.histogram(n.equalWidthHistogram().edges(), n.equalWidthHistogram().counts(), "#4a78c2") + "</div>"
                    + "<div><p>Quantile histogram (deciles)" + approximate(n.quantileHistogram()) + "</p>"
                    + Html.histogram(n.quantileHistogram().edges(), n.quantileHistogram().counts(), "#7b8fb0") + "</div>";
        } else {
            var s = c.strings();
            row(b, s.distinctExact() ? "distinct" : "distinct (approx.)", (double) s.distinct());
            row(b, "average length", s.avgLength());
            row(b, "min length", s.minLength() == null ? null : s.minLength().doubleValue());
            row(b, "max length", s.maxLength() == null ? null : s.maxLength().doubleValue());
            List<ValueCount> top = s.topValues().subList(0, Math.min(TOP_SHOWN, s.topValues().size()));
            chart = "<div><p>Top values</p>" + Html.bars(top.stream().map(ValueCount::value).toList(),
                    top.stream().map(v -> (double) v.count()).toList(), "#4a78c2") + "</div>";
        }
        return b.append("</table>").append(chart).append("</div>").toString();
    }

    /** The label of a histogram drawn from a sketch: approximate, with its error bound. */
    private static String approximate(Histogram h) {
        return h.approximate() ? " <span class=muted>(approximate, from a KLL sketch: each count ± " + h.countError() + ", 99% confidence)</span>" : "";
    }

    private static void row(StringBuilder b, String name, Double value) {
        b.append("<tr><th>").append(escape(name)).append("</th><td class=num>").append(number(value)).append("</td></tr>");
    }

    public static String validation(ValidationResult v) {
        StringBuilder b = new StringBuilder("<h1>Validation of " + escape(v.source()) + "</h1>");
        b.append("<p><span class=\"badge ").append(v.success() ? "green\">PASSED" : "red\">FAILED").append("</span> ")
                .append(v.checks()).append(" checks, ").append(v.failedErrors()).append(" errors, ").append(v.failedWarnings())
                .append(" warnings; ").append(v.rowCount()).append(" rows")
                .append(v.environment() == null ? "" : ", environment " + escape(v.environment())).append("</p>");
        if (v.malformedRowCount() > 0) {
            b.append("<p class=red>").append(v.malformedRowCount()).append(" malformed lines were not read (the check 'well-formed lines' fails).</p>");
        }
        b.append(malformed(v.malformedRows()));
        b.append("<table><tr><th></th><th>check</th><th>severity</th><th>observed</th><th>expected</th><th class=num>failing rows</th></tr>");
        for (CheckResult r : v.results()) {
            b.append("<tr class=").append(r.status()).append("><td>").append(r.passed() ? "✓" : "✗").append("</td><td>").append(escape(r.name()))
                    .append("</td><td>").append(r.severity().name().toLowerCase()).append("</td><td>").append(escape(r.observedText()))
                    .append("</td><td>").append(escape(r.expected())).append("</td><td class=num>")
                    .append(r.failingRows() == null ? "" : r.failingRows()).append("</td></tr>");
        }
        b.append("</table>");
        for (CheckResult r : v.failures()) {
            if (r.samples().isEmpty()) continue;
            b.append("<h2>").append(escape(r.name())).append(": sample failing rows</h2><table><tr>");
            for (String k : r.samples().getFirst().keySet()) b.append("<th>").append(escape(k)).append("</th>");
            b.append("</tr>");
            for (Map<String, Object> s : r.samples()) {
                b.append("<tr>");
                for (Object value : s.values()) b.append("<td>").append(escape(value)).append("</td>");
                b.append("</tr>");
            }
            b.append("</table><p class=muted><code>").append(escape(r.failingRowsSql())).append("</code></p>");
        }
        b.append("<h2>Metrics</h2><table>");
        v.metrics().forEach((k, value) -> row(b, k, value));
        b.append("</table>");
        return Html.page("Validation of " + v.source(), b.toString());
    }

    public static String drift(DriftResult d) {
        StringBuilder b = new StringBuilder("<h1>Drift of " + escape(d.current()) + "</h1><p>against " + escape(d.reference()) + "</p>");
        b.append("<p><span class=\"badge ").append(d.datasetDrift() ? "red\">DATASET DRIFT" : "green\">NO DATASET DRIFT").append("</span> ")
                .append(d.driftedColumns()).append(" of ").append(d.columns()).append(" columns drifted (share ")
                .append(number(d.driftShare())).append(", threshold ").append(number(d.options().datasetDriftShare())).append(")</p>");
        b.append("<table><tr><th>column</th><th>type</th><th>test</th><th class=num>value</th><th class=num>threshold</th><th>drift</th>"
                + "<th>all statistics</th><th>method</th></tr>");
        for (FeatureDrift f : d.features()) {
            StringBuilder all = new StringBuilder();
            f.statistics().forEach((k, v) -> all.append(escape(k)).append(" = ").append(number(v)).append("<br>"));
            b.append("<tr class=").append(f.drifted() ? "red" : "green").append("><td>").append(escape(f.column())).append("</td><td>")
                    .append(f.type()).append("</td><td>").append(escape(f.test())).append("</td><td class=num>").append(number(f.value()))
                    .append("</td><td class=num>").append(number(f.threshold())).append("</td><td>").append(f.drifted() ? "drift" : "no drift")
                    .append("</td><td class=muted>").append(all).append("</td><td>").append(f.method()).append("</td></tr>");
        }
        b.append("</table>");
        if (!d.skipped().isEmpty()) {
            b.append("<h2>Not compared</h2><ul>");
            for (String s : d.skipped()) b.append("<li>").append(escape(s)).append("</li>");
            b.append("</ul>");
        }
        return Html.page("Drift of " + d.current(), b.toString());
    }
}

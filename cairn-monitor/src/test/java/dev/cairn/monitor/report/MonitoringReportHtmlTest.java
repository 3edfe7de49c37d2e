package dev.cairn.monitor.report;

import static dev.cairn.monitor.report.SyntheticReports.DEPLOYMENT;
import static dev.cairn.monitor.report.SyntheticReports.LABELLED;
import static dev.cairn.monitor.report.SyntheticReports.NO_LATENCY;
import static dev.cairn.monitor.report.SyntheticReports.SCRIPT_FEATURE;
import static dev.cairn.monitor.report.SyntheticReports.WINDOWS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.report.Html;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.WindowMetrics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class MonitoringReportHtmlTest {
    static final List<String> CHART_SECTIONS = List.of("volume", "latency", "drift", "performance", "quality", "labels");

    private final String html = MonitoringReportHtml.render(SyntheticReports.month());

    @Test
    void eachSectionHasOneChart() {
        for (String id : CHART_SECTIONS) {
            String section = section(html, id);
            assertThat(count(section, "<svg")).as(id).isEqualTo(1);
            assertThat(section).as(id).contains("class=\"chart\"");
        }
        // The feature table has a sparkline per feature and no chart.
        String features = section(html, "features");
        assertThat(count(features, "<svg class=\"spark\"")).isEqualTo(SyntheticReports.FEATURES.size());
        assertThat(count(html, "<svg")).isEqualTo(CHART_SECTIONS.size() + SyntheticReports.FEATURES.size());
    }

    @Test
    void theDriftedFeatureComesFirst() {
        String table = section(html, "features");
        List<Integer> rows = new ArrayList<>();
        for (String feature : List.of("amount", "age", Html.escape(SCRIPT_FEATURE), "city")) {
            int at = table.indexOf("data-feature=\"" + feature + "\"");
            assertThat(at).as(feature).isPositive();
            rows.add(at);
        }
        assertThat(rows.getFirst()).isLessThan(rows.stream().skip(1).mapToInt(Integer::intValue).min().orElseThrow());
        assertThat(table).contains("<tr class=\"red\" data-feature=\"amount\">");
        assertThat(table).contains("1 of 4 features drifted").contains("no dataset drift");
    }

    @Test
    void everythingFromDataIsEscaped() {
        assertThat(html).doesNotContain("<script").doesNotContain(SCRIPT_FEATURE).doesNotContain(DEPLOYMENT);
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("<h1>Monitoring of fraud &lt;&amp;&quot;&gt; scorer</h1>");
        assertThat(html).contains("<title>Monitoring of fraud &lt;&amp;&quot;&gt; scorer (fraud)</title>");
    }

    @Test
    void everySvgIsWellFormedXml() throws Exception {
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (svg.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            n++;
        }
        assertThat(n).isEqualTo(CHART_SECTIONS.size() + SyntheticReports.FEATURES.size());
    }

    @Test
    void anAbsentMetricIsAGapNotAZero() {
        String latency = section(html, "latency");
        for (String series : List.of("p50", "p95", "p99")) {
            List<String> commands = commands(pathData(latency, series));
            // Window 12 has no latency: 29 points in two runs, none of them for window 12.
            assertThat(commands).as(series).hasSize(WINDOWS - 1);
            assertThat(commands.stream().filter(c -> c.startsWith("M"))).as(series).hasSize(2);
            assertThat(commands.get(NO_LATENCY)).as(series).startsWith("M");
        }
        String day12 = SyntheticReports.day(NO_LATENCY).toString().substring(0, 10);
        assertThat(latency).contains("<title>" + SyntheticReports.day(NO_LATENCY - 1).toString().substring(0, 10) + " · p50:")
                .doesNotContain("<title>" + day12 + " · p50:");
        // The y of a zero would be the lowest tick's (the axis includes 0 for latency): no point is there.
        double zeroY = lowestTickY(latency);
        for (String c : commands(pathData(latency, "p50"))) assertThat(y(c)).isLessThan(zeroY);

        // Realized precision stops where labels stop; the estimate goes on to the last window.
        String performance = section(html, "performance");
        assertThat(commands(pathData(performance, "realized precision"))).hasSize(LABELLED);
        assertThat(commands(pathData(performance, "estimated precision"))).hasSize(WINDOWS);
        assertThat(performance).contains("data-band=\"precision estimate&#39;s interval\"");
    }

    @Test
    void aMissingWindowBreaksEveryLine() {
        MonitoringReport month = SyntheticReports.month();
        List<WindowMetrics> windows = new ArrayList<>(month.windows());
        windows.remove(15);
        MonitoringReport holed = new MonitoringReport(month.deployment(), month.model(), month.window(), month.from(), month.to(),
                month.generatedAt(), windows, null, null, List.of(), List.of());
        String volume = section(MonitoringReportHtml.render(holed), "volume");
        List<String> rows = commands(pathData(volume, "rows"));
        assertThat(rows).hasSize(WINDOWS - 1);
        assertThat(rows.stream().filter(c -> c.startsWith("M"))).hasSize(2);
        assertThat(rows.get(15)).startsWith("M");
    }

    @Test
    void firingAlertsLeadTheStatusAndTheTimelineListsEveryTransition() {
        String status = html.substring(html.indexOf("id=\"status\""), html.indexOf("</div>", html.indexOf("id=\"status\"")));
        assertThat(status).contains("1 alert firing").contains("amount_drift").contains("(critical)").doesNotContain("latency_p99_high");
        assertThat(html.indexOf("id=\"status\"")).isLessThan(html.indexOf("id=\"volume\""));
        String timeline = section(html, "alerts");
        assertThat(count(timeline, "<tr>")).isEqualTo(1 + SyntheticReports.alerts().size());
        assertThat(timeline.indexOf("RESOLVED")).isLessThan(timeline.indexOf("amount_drift"));
        assertThat(html).contains("Windows with data</th><td>30 day windows").contains("Rows scored</th><td>34350");
    }

    @Test
    void withoutDriftResultTheTableComesFromTheWindowMetrics() {
        MonitoringReport month = SyntheticReports.month();
        MonitoringReport bare = new MonitoringReport(month.deployment(), month.model(), month.window(), month.from(), month.to(),
                month.generatedAt(), month.windows(), null, null, List.of(), List.of());
        String rendered = MonitoringReportHtml.render(bare);
        String features = section(rendered, "features");
        assertThat(features.indexOf("data-feature=\"amount\"")).isPositive()
                .isLessThan(features.indexOf("data-feature=\"age\""));
        assertThat(section(rendered, "drift")).doesNotContain("data-band=");
        assertThat(section(rendered, "alerts")).contains("No alert fired or resolved");
        assertThat(rendered).contains("No alert firing.");
    }

    @Test
    void anEmptyPeriodSaysSo() {
        String empty = MonitoringReportHtml.render(SyntheticReports.empty());
        assertThat(empty).contains("No predictions in this period").contains("Monitoring of fraud &lt;&amp;&quot;&gt; scorer")
                .doesNotContain("<svg").doesNotContain("<script");
        assertThat(empty).contains("Windows with data</th><td>0 day windows").contains("Rows scored</th><td>0<");
    }

    @Test
    void aSingleWindowIsAPoint() {
        MonitoringReport month = SyntheticReports.month();
        String rendered = MonitoringReportHtml.render(new MonitoringReport(month.deployment(), month.model(), "hour", month.from(), month.to(),
                month.generatedAt(), month.windows().subList(0, 1), null, null, List.of(), List.of()));
        String latency = section(rendered, "latency");
        assertThat(commands(pathData(latency, "p50"))).hasSize(1).allSatisfy(c -> assertThat(c).startsWith("M"));
        assertThat(latency).contains("<title>2025-03-01 · p50: 4</title>");
        assertThat(section(rendered, "labels")).contains("<title>2025-03-01 · label coverage: 1</title>");
    }

    @Test
    void aChartWithoutValuesSaysSo() {
        MonitoringReport month = SyntheticReports.month();
        List<WindowMetrics> onlyVolume = month.windows().stream().map(w -> new WindowMetrics(w.deployment(), w.model(), w.modelVersion(),
                w.start(), w.end(), java.util.Map.of(MetricNames.ROWS, 10.0))).toList();
        String rendered = MonitoringReportHtml.render(new MonitoringReport(month.deployment(), month.model(), month.window(), month.from(),
                month.to(), month.generatedAt(), onlyVolume, null, null, List.of(), List.of()));
        for (String id : CHART_SECTIONS) assertThat(count(section(rendered, id), "<svg")).as(id).isEqualTo(1);
        assertThat(section(rendered, "latency")).contains("No values in this period");
        assertThat(section(rendered, "features")).contains("No feature was compared");
    }

    // ---- helpers ----

    static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
        return n;
    }

    static String pathData(String svg, String series) {
        Matcher m = Pattern.compile("<path class=\"series\" data-series=\"" + Pattern.quote(series) + "\" d=\"([^\"]*)\"").matcher(svg);
        assertThat(m.find()).as("series " + series).isTrue();
        return m.group(1);
    }

    /** The path's commands, "M12.0,34.5" or "L…", one per point. */
    static List<String> commands(String d) {
        return List.of(d.trim().split(" "));
    }

    static double y(String command) {
        return Double.parseDouble(command.substring(command.indexOf(',') + 1));
    }

    /** The y of the bottom grid line of the chart (the lowest left-axis tick). */
    static double lowestTickY(String svg) {
        Matcher m = Pattern.compile("<line x1=\"[0-9.]+\" y1=\"([0-9.]+)\" x2=\"[0-9.]+\" y2=\"[0-9.]+\" stroke=\"#e5e7eb\"/>").matcher(svg);
        double max = Double.NEGATIVE_INFINITY;
        while (m.find()) max = Math.max(max, Double.parseDouble(m.group(1)));
        return max;
    }
}

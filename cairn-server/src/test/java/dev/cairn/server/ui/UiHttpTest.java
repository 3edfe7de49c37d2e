package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Tag;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The UI over plain HTTP on a real {@code cairn server}: status, headers, escaping, inline filter errors. */
@DisplayName("Web UI over HTTP: frame, security headers, escaping, filter errors")
class UiHttpTest {

    @TempDir static Path dir;
    static ServerMain.RunningServer server;
    static HttpClient client = HttpClient.newHttpClient();
    static String experimentId;
    static String runId;

    @BeforeAll
    static void start() {
        server = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0, dir.resolve("pipelines").toString(), List.of(), false), java.time.Clock.systemUTC(), false);
        MetadataStore store = server.store();
        experimentId = store.experiments().createExperiment("<script>alert('x')</script>", null, List.of());
        var run = store.runs().createRun(experimentId, "eve<b>", 1_700_000_000_000L, "run <img src=x onerror=alert(1)>", List.of());
        runId = run.info().runId();
        store.runs().logBatch(runId, List.of(new Metric("auc", 0.81, 1, 0)), List.of(new Param("depth", "<i>6</i>")),
                List.of(new Tag("team", "\"risk\"")));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (user != null) request.header("X-Cairn-User", user);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootIsTheExperimentsPageWithTheNavigationTheUserAndAStrictPolicy() throws Exception {
        HttpResponse<String> response = get("/", "ada");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'").doesNotContain("unsafe");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        String html = response.body();
        assertThat(html).contains("<nav aria-label=\"Main\">", ">Experiments<", ">Models<", ">Deployments<", ">Data<",
                ">Monitoring<", ">Pipelines<", ">Lineage<", "<strong id=\"acting-user\">ada</strong>", "<html lang=\"en\">");
        // No inline script, no script or style from another origin.
        assertThat(html).doesNotContainPattern("<script(?![^>]*src=\"/ui/assets/)").doesNotContain("http://", "https://");
    }

    @Test
    void namesParamsAndTagsAreEscapedEverywhere() throws Exception {
        String list = get("/", null).body();
        assertThat(list).contains("&lt;script&gt;alert(").doesNotContain("<script>alert");
        assertThat(list).contains("<strong id=\"acting-user\">anonymous</strong>");
        String runs = get("/ui/experiments/" + experimentId + "?col=params.depth&col=tags.team&col=metrics.auc", null).body();
        assertThat(runs).contains("run &lt;img src=x onerror=alert(1)&gt;", "&lt;i&gt;6&lt;/i&gt;", "eve&lt;b&gt;", "0.81")
                .doesNotContain("<img src=x", "<i>6</i>", "<b>");
    }

    @Test
    void aFilterTheGrammarRefusesIsShownInlineAndAGoodOneFilters() throws Exception {
        HttpResponse<String> bad = get("/ui/experiments/" + experimentId + "?filter=" + Links.encode("metrics.auc >> 1"), null);
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("id=\"filter-error\"", "role=\"alert\"", "aria-invalid=\"true\"");
        String none = get("/ui/experiments/" + experimentId + "?filter=" + Links.encode("metrics.auc > 0.9"), null).body();
        assertThat(none).contains("No runs match.").doesNotContain("data-run-id=\"" + runId + "\"");
        String one = get("/ui/experiments/" + experimentId + "?filter=" + Links.encode("metrics.auc > 0.8"), null).body();
        assertThat(one).contains("data-run-id=\"" + runId + "\"");
    }

    @Test
    void aWideExperimentOffersSomeMetricKeysAsColumnsAndFindsTheOthersOnTheServer() throws Exception {
        var store = server.store();
        String wide = store.experiments().createExperiment("wide", null, List.of());
        int keys = ExperimentPages.OFFERED_METRIC_KEYS + 50;
        List<String> ids = new java.util.ArrayList<>();
        for (int r = 0; r < 3; r++) {
            String id = store.runs().createRun(wide, "ada", 1_700_000_000_000L + r, "wide-" + r, List.of()).info().runId();
            ids.add(id);
            List<Metric> metrics = new java.util.ArrayList<>();
            for (int k = 0; k < keys; k++) metrics.add(new Metric(String.format("m%04d", k), r * 1000 + k, 1, 0));
            for (int from = 0; from < metrics.size(); from += 1000) {
                store.runs().logBatch(id, metrics.subList(from, Math.min(metrics.size(), from + 1000)), List.of(), List.of());
            }
        }
        String page = get("/ui/experiments/" + wide, null).body();
        // The first six keys are the default columns, with their values; 100 keys are offered, and a field finds the rest.
        assertThat(page).contains(">m0005</a></th>", ">2005<").doesNotContain(">m0006</a></th>");
        assertThat(page).contains("value=\"metrics.m0099\"").doesNotContain("value=\"metrics.m0100\"");
        assertThat(page).contains("id=\"column-find\"", "list=\"column-keys\"", "/ui/experiments/" + wide + "/column-keys")
                .doesNotContain("<fieldset");
        String found = get("/ui/experiments/" + wide + "/column-keys?col=M014", null).body();
        assertThat(found).startsWith("<datalist id=\"column-keys\">").contains("<option value=\"metrics.m0140\">")
                .contains("metrics.m0149").doesNotContain("metrics.m0139");
        assertThat(get("/ui/experiments/" + wide + "/column-keys?col=" + Links.encode("metrics.m01"), null).body())
                .as("at most %d keys", ExperimentPages.FOUND_KEYS).contains("metrics.m0149").doesNotContain("metrics.m0150");
        assertThat(get("/ui/experiments/" + wide + "/column-keys?col=zzz", null).body().strip()).isEqualTo("<datalist id=\"column-keys\"></datalist>");
        // A key found (or typed bare) becomes a column, with its values; only it is shown.
        String chosen = get("/ui/experiments/" + wide + "?col=metrics.m0140&col=m0149&col=", null).body();
        assertThat(chosen).contains(">m0140</a></th>", ">m0149</a></th>", ">2140<", ">2149<").doesNotContain(">m0000</a></th>");
        // An experiment of few keys lists them all and has no search field.
        assertThat(get("/ui/experiments/" + experimentId, null).body()).contains("value=\"metrics.auc\"").doesNotContain("column-find");
    }

    @Test
    void comparingManyRunsLoadsTheTablesWhenScrolledToAndSharesTheChartsPointBudget() throws Exception {
        var store = server.store();
        String trials = store.experiments().createExperiment("trials", null, List.of());
        int count = ComparePages.INLINE_TABLE_RUNS + 5;
        StringBuilder query = new StringBuilder();
        for (int r = 0; r < count; r++) {
            String id = store.runs().createRun(trials, "ada", 1_700_000_000_000L + r, "trial-" + r, List.of()).info().runId();
            List<Metric> loss = new java.util.ArrayList<>();
            for (int step = 0; step < 998; step++) loss.add(new Metric("loss", 1.0 / (step + 1 + r), 1, step));
            store.runs().logBatch(id, loss, List.of(new Param("depth", Integer.toString(r)), new Param("eta", "0.1")), List.of());
            query.append(query.isEmpty() ? "?" : "&").append("run=").append(id);
        }
        String page = get("/ui/compare" + query, null).body();
        assertThat(page).contains("id=\"compare-chart\"", "hx-trigger=\"revealed\"", "tables=inline").doesNotContain("id=\"compare-params\"");
        HttpResponse<String> tables = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/ui/compare" + query + "&tables=inline"))
                .header("HX-Request", "true").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tables.body()).contains("id=\"compare-params\"", "id=\"compare-metrics\"").doesNotContain("<html", "<h1>");
        // eta is the same in every run: written once across the row.
        assertThat(tables.body()).contains("<td colspan=\"" + count + "\" class=\"same\">0.1</td>");
        assertThat(get("/ui/compare" + query + "&tables=inline", null).body()).as("a direct visit: the whole page, tables inline")
                .contains("<h1>Compare " + count + " runs</h1>", "id=\"compare-params\"");
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/ui/compare/metric-series" + query + "&key=loss", null).body());
        assertThat(tree.at("/series").size()).isEqualTo(count);
        assertThat(tree.at("/series/0/points").size()).isEqualTo(MetricSeries.pointsEach(count)).isLessThan(998);
        assertThat(tree.at("/series/0/points/0/0").isIntegralNumber()).as("steps as integers").isTrue();
    }

    @Test
    void aRunPageOfManyMetricsShowsThemAPageAtATimeAndFindsThemByName() throws Exception {
        var store = server.store();
        String id = store.runs().createRun(experimentId, "ada", 1_700_000_000_000L, "many-metrics", List.of()).info().runId();
        int keys = RunPages.METRICS_PAGE * 2 + 20;
        List<Metric> metrics = new java.util.ArrayList<>();
        for (int k = 0; k < keys; k++) metrics.add(new Metric(String.format("k%04d", k), k, 1, k));
        store.runs().logBatch(id, metrics, List.of(), List.of());
        String first = get("/ui/runs/" + id, null).body();
        // One page of the table, in key order; the chart shows the first key, and a link leads to the next page.
        assertThat(rowCount(first)).isEqualTo(RunPages.METRICS_PAGE);
        assertThat(first).contains("<tr><td>k0000</td>", "<tr><td>k0049</td>").doesNotContain("<tr><td>k0050</td>");
        assertThat(first).contains("metric-series?key=k0000", "id=\"metrics-next\"").doesNotContain("id=\"metrics-first\"");
        String next = href(first, "metrics-next");
        assertThat(next).contains("metric=k0000", "metrics_page=");
        String second = get(next, null).body();
        assertThat(rowCount(second)).isEqualTo(RunPages.METRICS_PAGE);
        assertThat(second).contains("<tr><td>k0050</td>", "<tr><td>k0099</td>", "metric-series?key=k0000", "id=\"metrics-first\"")
                .doesNotContain("<tr><td>k0049</td>", "<tr><td>k0100</td>");
        String third = get(href(second, "metrics-next"), null).body();
        assertThat(rowCount(third)).isEqualTo(20);
        assertThat(third).contains("<tr><td>k0119</td>").doesNotContain("id=\"metrics-next\"");
        // Found by part of its key (ignoring case); the charted metric and the text found by stay in every link.
        String found = get("/ui/runs/" + id + "?metric=k0003&metrics_find=K011", null).body();
        assertThat(rowCount(found)).isEqualTo(10);
        assertThat(found).contains("<tr><td>k0110</td>", "<tr><td>k0119</td>", "metric-series?key=k0003", "value=\"K011\"")
                .doesNotContain("<tr><td>k0000</td>", "id=\"metrics-next\"");
        assertThat(found).contains("href=\"/ui/runs/" + id + "?metric=k0115&amp;metrics_find=K011#chart\"");
        assertThat(get("/ui/runs/" + id + "?metrics_find=nothing", null).body()).contains("No metric key contains");
        assertThat(get("/ui/runs/" + id + "?metrics_page=garbage", null).statusCode()).isEqualTo(400);
        assertThat(get("/ui/runs/0123456789abcdef0123456789abcdef", null).statusCode()).isEqualTo(404);
        assertThat(get("/ui/runs/0123456789abcdef0123456789abcdef/metric-series?key=k0000", null).statusCode()).isEqualTo(404);
    }

    private static int rowCount(String html) {
        return html.split("<tr><td>k", -1).length - 1;
    }

    /** The path an element's {@code href} names, by its id (the HTML's {@code &amp;} undone). */
    private static String href(String html, String id) {
        var matcher = java.util.regex.Pattern.compile("<a href=\"([^\"]+)\" id=\"" + id + "\"").matcher(html);
        assertThat(matcher.find()).as("a link with id " + id).isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }

    @Test
    void comparedRunsHistoriesAreReadTogetherAndEqualWhatEachRunsReadGives() throws Exception {
        var store = server.store();
        String exp = store.experiments().createExperiment("histories together", null, List.of());
        List<String> ids = new java.util.ArrayList<>();
        for (int r = 0; r < 3; r++) {
            String id = store.runs().createRun(exp, "ada", 1_700_000_000_000L + r, "h-" + r, List.of()).info().runId();
            ids.add(id);
            // The first run's history is longer than one store read: it is read on a page at a time.
            int steps = r == 0 ? RunStore.MAX_HISTORY_RESULTS + 10 : r == 1 ? 700 : 0;
            List<Metric> loss = new java.util.ArrayList<>();
            for (int step = 0; step < steps; step++) {
                loss.add(new Metric("loss", step % 97 == 0 ? Double.NaN : Math.sin(step / 50.0) + r, 1, step));
                if (loss.size() == 1000) {
                    store.runs().logBatch(id, loss, List.of(), List.of());
                    loss.clear();
                }
            }
            loss.add(new Metric("acc", 0.5, 1, 0));
            store.runs().logBatch(id, loss, List.of(), List.of());
        }
        String query = "?run=" + String.join("&run=", ids) + "&key=loss";
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = mapper.readTree(get("/ui/compare/metric-series" + query, null).body());
        assertThat(tree.at("/series").size()).isEqualTo(3);
        for (int r = 0; r < 3; r++) {
            var alone = mapper.readTree(mapper.writeValueAsString(
                    MetricSeries.read(store.runs(), ids.get(r), "loss", "h-" + r, MetricSeries.pointsEach(3))));
            assertThat(tree.at("/series/" + r).equals(alone)).as("run %d's series read alone is the same", r).isTrue();
        }
        assertThat(tree.at("/series/0/total").asInt()).isEqualTo(RunStore.MAX_HISTORY_RESULTS + 10 - (RunStore.MAX_HISTORY_RESULTS + 10 + 96) / 97);
        assertThat(tree.at("/series/2/points").size()).isZero();
        var parallel = mapper.readTree(get("/ui/compare/parallel" + query.replace("key=loss", "key=acc"), null).body());
        assertThat(parallel.at("/lines/1/values").get(parallel.at("/lines/1/values").size() - 1).asDouble()).isEqualTo(0.5);
        assertThat(get("/ui/compare/metric-series?run=" + ids.getFirst() + "&run=0123456789abcdef0123456789abcdef&key=loss", null)
                .statusCode()).isEqualTo(404);
        assertThat(get("/ui/compare?run=" + ids.getFirst() + "&run=0123456789abcdef0123456789abcdef", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRunPageShowsItsDataAndItsChartReadsADownsampledHistory() throws Exception {
        var store = server.store();
        var run = store.runs().createRun(experimentId, "ada", 1_700_000_000_000L, "long", List.of());
        String id = run.info().runId();
        List<Metric> history = new java.util.ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            history.add(new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000L + step, step));
            if (history.size() == 1000) {
                store.runs().logBatch(id, history, List.of(), List.of());
                history.clear();
            }
        }
        String html = get("/ui/runs/" + id, null).body();
        assertThat(html).contains("<h1>Run long</h1>", "data-chart=\"line\"", "/ui/runs/" + id + "/metric-series?key=loss");
        String json = get("/ui/runs/" + id + "/metric-series?key=loss", null).body();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(tree.at("/series/0/total").asInt()).isEqualTo(5000);
        assertThat(tree.at("/series/0/points").size()).isEqualTo(MetricSeries.POINTS);
        assertThat(tree.at("/series/0/points/0/1").asDouble()).isEqualTo(1.0);
        String compare = get("/ui/compare?run=" + id + "&run=" + runId, null).body();
        assertThat(compare).contains("Compare 2 runs", "id=\"compare-params\"", "/ui/compare/metric-series?run=");
        assertThat(get("/ui/compare?run=" + id, null).statusCode()).isEqualTo(400);
    }

    @Test
    void movingAnAliasTakesTheFormsTokenAConfirmationAndAReasonAndIsAudited() throws Exception {
        var registry = server.store().registry();
        registry.createRegisteredModel("scorer", null, List.of(), "ada");
        registry.createModelVersion("scorer", "runs:/" + runId + "/model", runId, null, List.of(), "ada");
        HttpResponse<String> page = get("/ui/models/scorer", null);
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Csrf.COOKIE + "=").contains("HttpOnly", "SameSite=Strict");
        String token = cookie.substring(Csrf.COOKIE.length() + 1, cookie.indexOf(';'));
        assertThat(page.body()).contains("name=\"csrf\" value=\"" + token + "\"");
        String form = "alias=champion&version=1&reason=" + Links.encode("beats v0 <b>") + "&confirm=yes";

        // Without the token (a page of another site cannot read it), or from another origin: refused, nothing moves.
        assertThat(post("/ui/models/scorer/aliases", form, "cairn_csrf=" + token, null).statusCode()).isEqualTo(403);
        assertThat(post("/ui/models/scorer/aliases", form + "&csrf=" + token, "cairn_csrf=" + token, "http://evil.example")
                .statusCode()).isEqualTo(403);
        assertThat(post("/ui/models/scorer/aliases", "alias=champion&version=1&confirm=yes&csrf=" + token, "cairn_csrf=" + token, null)
                .statusCode()).isEqualTo(400);
        assertThat(registry.getRegisteredModel("scorer").aliases()).isEmpty();

        HttpResponse<String> moved = post("/ui/models/scorer/aliases", form + "&csrf=" + token, "cairn_csrf=" + token, server.url());
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(registry.getModelVersionByAlias("scorer", "champion").version()).isEqualTo(1);
        var event = registry.listAuditEvents("scorer", 1, null).items().getFirst();
        assertThat(event.actor()).isEqualTo("grace");
        assertThat(event.comment()).isEqualTo("beats v0 <b>");
        assertThat(get("/ui/models/scorer", null).body()).contains("beats v0 &lt;b&gt;");
    }

    static HttpResponse<String> post(String path, String form, String cookie, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie).header("X-Cairn-User", "grace")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) request.header("Origin", origin);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownExperimentIsAnHtmlNotFoundPage() throws Exception {
        HttpResponse<String> response = get("/ui/experiments/987654", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("<h1>Not found</h1>");
    }

    @Test
    void scriptsAndStylesAreServedByCairnItselfAndNothingElseIs() throws Exception {
        for (String asset : List.of("echarts.min.js", "htmx.min.js", "cairn.js", "cairn.css")) {
            HttpResponse<String> response = get(Assets.PREFIX + asset, null);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).isNotEmpty();
        }
        assertThat(get(Assets.PREFIX + "..%2F..%2Fcairn.db", null).statusCode()).isEqualTo(404);
        assertThat(get(Assets.PREFIX + "pom.properties", null).statusCode()).isEqualTo(404);
    }

    /**
     * The evaluation, data, monitoring, pipeline and lineage pages over {@link UiFixture}'s credit-risk story: each shows
     * the values the services stored (read back here through the same services), links where it should, refuses bad
     * input with 400 and unknown ids with an HTML 404.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("Evaluation, data, monitoring, pipeline and lineage pages over the credit-risk fixture")
    class OverTheFixture {

        Path fixtureDir;
        UiFixture fixture;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            fixtureDir = dir;
            fixture = new UiFixture(dir);
        }

        @AfterAll
        void stop() {
            if (fixture != null) fixture.close();
        }

        HttpResponse<String> page(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(fixture.url() + path)).header("X-Cairn-User", "ada").build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String html(String path) throws Exception {
            HttpResponse<String> response = page(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(response.body()).as("no inline script on " + path).doesNotContainPattern("<script(?![^>]*src=\"/ui/assets/)");
            return response.body();
        }

        com.fasterxml.jackson.databind.JsonNode json(String path) throws Exception {
            HttpResponse<String> response = page(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        }

        void notFound(String path) throws Exception {
            HttpResponse<String> response = page(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(response.body()).contains("<h1>Not found</h1>");
        }

        void badRequest(String path) throws Exception {
            HttpResponse<String> response = page(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).contains("role=\"alert\"");
        }

        MetadataStore store() {
            return fixture.server.store();
        }

        @Test
        void anEvaluationShowsItsVerdictMetricsWithIntervalsCurvesSlicesFairnessAndImportance() throws Exception {
            String run = fixture.evaluationRunId;
            var tracking = dev.cairn.train.tracking.Tracking.of(store());
            var report = dev.cairn.train.evaluation.Evaluations.reportOf(run, tracking);
            String page = html("/ui/runs/" + run + "/evaluation");
            assertThat(page).contains("id=\"verdict\"", report.verdict().blessed() ? ">Blessed<" : ">Not blessed<")
                    .contains(escape(report.verdict().summary()));
            assertThat(page).contains("<code>roc_auc&gt;=0.7</code>", "<code>change:roc_auc&gt;=-0.05</code>");
            assertThat(page).contains("credit-risk v2", "credit-risk v1 (@champion)", "href=\"/ui/models/credit-risk#v2\"");
            // Every metric with the candidate's value, its bootstrap interval and the champion's value.
            for (var m : report.candidate().metrics().entrySet()) {
                assertThat(page).as(m.getKey()).contains("data-metric=\"" + m.getKey() + "\"", ">" + Links.number(m.getValue()) + "<");
            }
            var auc = report.candidate().intervals().get("roc_auc");
            assertThat(page).contains(Links.number(auc.lower()) + " – " + Links.number(auc.upper()) + " (95%");
            assertThat(page).contains(">" + Links.number(report.champion().metrics().get("roc_auc")) + "<");
            // Slices and fairness by purpose, importance of both inputs.
            assertThat(page).contains("class=\"grid slice\" data-column=\"purpose\"", "class=\"grid fairness\" data-column=\"purpose\"",
                    ">car<", ">education<", "id=\"importance\"", ">age<");
            var fairness = report.candidate().fairness().getFirst();
            assertThat(page).contains("disparate impact ratio " + Links.number(fairness.disparateImpactRatio()));
            assertThat(page).contains("data-chart=\"line\" data-src=\"/ui/runs/" + run + "/evaluation/curve?kind=roc\"");

            var roc = json("/ui/runs/" + run + "/evaluation/curve?kind=roc");
            assertThat(roc.get("x").asText()).isEqualTo("false positive rate");
            assertThat(roc.at("/series/0/name").asText()).isEqualTo("candidate (credit-risk v2)");
            assertThat(roc.at("/series/1/name").asText()).isEqualTo("champion (credit-risk v1)");
            assertThat(roc.at("/series/0/points").size()).isEqualTo(report.candidate().curves().roc().size());
            var pr = json("/ui/runs/" + run + "/evaluation/curve?kind=pr");
            double[] first = report.candidate().curves().precisionRecall().getFirst();
            assertThat(pr.at("/series/0/points/0/0").asDouble()).isEqualTo(first[1]);
            assertThat(pr.at("/series/0/points/0/1").asDouble()).isEqualTo(first[0]);

            // Linked from the version it evaluated and from its run; a run that is no evaluation, or no run, is a 404.
            assertThat(html("/ui/models/credit-risk")).contains("href=\"/ui/runs/" + run + "/evaluation\"");
            assertThat(html("/ui/runs/" + run)).contains("href=\"/ui/runs/" + run + "/evaluation\"");
            assertThat(html("/ui/runs/" + fixture.trialIds.getLast())).contains("href=\"/ui/runs/" + run + "/evaluation\"");
            notFound("/ui/runs/" + fixture.trialIds.getFirst() + "/evaluation");
            notFound("/ui/runs/0123456789abcdef0123456789abcdef/evaluation");
            badRequest("/ui/runs/" + run + "/evaluation/curve?kind=lift");
        }

        @Test
        void dataResultsShowProfilesWithHistogramsValidationFailuresAndDriftByColumn() throws Exception {
            String validate = fixture.stepRuns.get("validate");
            String profile = fixture.stepRuns.get("profile");
            String drift = fixture.stepRuns.get("drift");
            String list = html("/ui/data");
            for (String run : List.of(validate, profile, drift)) assertThat(list).contains("href=\"/ui/runs/" + run + "/data#data-");

            var artifacts = new dev.cairn.server.tracking.ArtifactLocations(dev.cairn.core.store.Stores.openArtifacts(
                    fixtureDir.resolve("artifacts").toUri().toString()));
            String page = html("/ui/runs/" + validate + "/data");
            var validation = dev.cairn.data.DataJson.read(text(artifacts, validate, "data/validate/validation.json"),
                    dev.cairn.data.check.ValidationResult.class, "validation");
            assertThat(validation.failedErrors()).isPositive();
            assertThat(validation.failedWarnings()).isPositive();
            assertThat(page).contains("Failed: " + validation.checks() + " checks, " + validation.failedErrors() + " errors and "
                    + validation.failedWarnings() + " warnings failed, on 100 rows");
            for (var failure : validation.failures()) {
                assertThat(page).contains(escape(failure.name()), escape(failure.expected()));
                if (failure.failingRows() != null) assertThat(page).contains(">" + failure.failingRows() + "<");
            }

            page = html("/ui/runs/" + profile + "/data");
            assertThat(page).contains("100 rows", "data-column=\"amount\"", "data-column=\"channel\"", "store (66)",
                    "data-chart=\"bar\" data-src=\"/ui/runs/" + profile + "/data/histogram?name=profile&amp;column=amount\"");
            var amount = json("/ui/runs/" + profile + "/data/histogram?name=profile&column=amount");
            double total = 0;
            for (var v : amount.at("/series/0/values")) total += v.asDouble();
            assertThat(total).isEqualTo(100);
            assertThat(amount.get("categories").size()).isEqualTo(amount.at("/series/0/values").size());
            var channel = json("/ui/runs/" + profile + "/data/histogram?name=profile&column=channel");
            assertThat(channel.get("categories")).extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactlyInAnyOrder("online", "store");

            page = html("/ui/runs/" + drift + "/data");
            var result = dev.cairn.data.DataJson.read(text(artifacts, drift, "data/drift/drift.json"), dev.cairn.data.drift.DriftResult.class, "drift");
            assertThat(page).contains(result.driftedColumns() + " of " + result.columns() + " columns drifted");
            for (var f : result.features()) {
                assertThat(page).contains("data-column=\"" + f.column() + "\"", ">" + f.test() + " <", ">" + Links.number(f.value()) + "<",
                        ">" + Links.number(f.threshold()) + "<");
            }
            assertThat(result.features()).anyMatch(f -> f.drifted());
            assertThat(html("/ui/runs/" + drift)).contains("href=\"/ui/runs/" + drift + "/data\"");

            assertThat(page("/ui/data/run?run=" + drift).headers().firstValue("Location")).contains("/ui/runs/" + drift + "/data");
            notFound("/ui/runs/0123456789abcdef0123456789abcdef/data");
            notFound("/ui/runs/" + profile + "/data/histogram?name=profile&column=nope");
            notFound("/ui/runs/" + drift + "/data/histogram?name=profile&column=amount");
            badRequest("/ui/runs/" + profile + "/data/histogram?name=..%2Fprofile&column=amount");
        }

        @Test
        void monitoringChartsDriftPerformanceAndVolumeOverWindowsAndListsAlertsWithTheirState() throws Exception {
            var monitoring = fixture.server.monitoring();
            String list = html("/ui/monitoring");
            assertThat(list).contains("href=\"/ui/monitoring/credit\"");
            String page = html("/ui/monitoring/credit");
            assertThat(page).contains("id=\"drift-chart\"", "/ui/monitoring/credit/chart?kind=drift", "/ui/monitoring/credit/chart?kind=performance",
                    "/ui/monitoring/credit/chart?kind=volume");
            // The last day's customers are older than the training data: age drifted there and the rule fired.
            assertThat(page).containsPattern("<tr data-feature=\"age\" class=\"drifted\">");
            assertThat(page).contains(">age-drift<", "class=\"alert-FIRING\">FIRING<");
            assertThat(monitoring.firing("credit")).extracting(a -> a.rule()).containsExactly("age-drift");

            var size = dev.cairn.monitor.window.WindowSize.DAY;
            var windows = monitoring.report("credit", size, null, null).windows();
            assertThat(windows).hasSize(UiFixture.DAYS);
            var drift = json("/ui/monitoring/credit/chart?kind=drift");
            assertThat(drift.get("xType").asText()).isEqualTo("time");
            var age = series(drift, "age");
            assertThat(age).hasSize(UiFixture.DAYS);
            for (int i = 0; i < windows.size(); i++) {
                assertThat(age.get(i).get(0).asLong()).isEqualTo(windows.get(i).start().toEpochMilli());
                assertThat(age.get(i).get(1).asDouble()).isEqualTo(windows.get(i).get("drift.age"));
            }
            assertThat(series(drift, "share of drifted features")).hasSize(UiFixture.DAYS);
            var performance = json("/ui/monitoring/credit/chart?kind=performance");
            var precision = series(performance, "realized.precision");
            assertThat(precision).hasSize(UiFixture.DAYS);
            assertThat(precision.get(0).get(1).asDouble()).isEqualTo(windows.get(0).get("realized.precision"));
            var volume = json("/ui/monitoring/credit/chart?kind=volume");
            assertThat(series(volume, "volume.rows")).extracting(p -> p.get(1).asDouble())
                    .containsOnly((double) UiFixture.CUSTOMERS_PER_DAY);

            notFound("/ui/monitoring/no-such-deployment");
            notFound("/ui/monitoring/no-such-deployment/chart?kind=drift");
            badRequest("/ui/monitoring/credit/chart?kind=latency");
        }

        private List<com.fasterxml.jackson.databind.JsonNode> series(com.fasterxml.jackson.databind.JsonNode chart, String name) {
            for (var s : chart.get("series")) {
                if (s.get("name").asText().equals(name)) {
                    List<com.fasterxml.jackson.databind.JsonNode> points = new java.util.ArrayList<>();
                    s.get("points").forEach(points::add);
                    return points;
                }
            }
            throw new AssertionError("no series " + name + " in " + chart);
        }

        @Test
        void theFeaturesPageListsViewsAndServicesWithTheModelsTrainedOnEachVersionAndTheDeploymentsReadingThem() throws Exception {
            String list = html("/ui/features");
            assertThat(list).contains("<a href=\"/ui/features\" aria-current=\"page\">Features</a>");
            // The latest version of each, as the features API lists them; entities and sources are not listed here.
            var api = json("/api/v1/features").get("definitions");
            for (var d : api) {
                String name = d.get("name").asText();
                String kind = d.get("kind").asText();
                if (kind.equals("feature_view") || kind.equals("feature_service")) {
                    assertThat(list).contains("<tr data-feature=\"" + name + "\"><td><a href=\"/ui/features/" + name + "\">" + name
                            + "</a></td><td class=\"num\">" + d.get("version").asLong() + "</td>");
                } else {
                    assertThat(list).doesNotContain("data-feature=\"" + name + "\"");
                }
            }
            assertThat(list).contains("data-feature=\"customer_profile\"", "data-feature=\"credit_features\"");
            assertThat(between(list, "id=\"feature-services\"", "</table>")).contains(">" + UiFixture.FEATURE_DEPLOYMENT + "</a>");

            // The view: two versions, newest first; version 1 trained credit-features v1, version 2 nothing yet.
            String view = html("/ui/features/customer_profile");
            assertThat(view).contains("<h1>customer_profile</h1>", "A feature view, 2 versions");
            assertThat(view.indexOf("id=\"version-2\"")).isLessThan(view.indexOf("id=\"version-1\""));
            // No pipeline step recorded it: no link to a lineage page that would have nothing to start from.
            assertThat(between(view, "id=\"version-1\"", "</tr>")).contains("<a href=\"/ui/models/credit-features#v1\">credit-features v1</a>",
                    "<td class=\"steps\">none</td>", "no pipeline step read it").doesNotContain("/ui/lineage?uri=");
            assertThat(between(view, "id=\"version-2\"", "</tr>")).contains("<td class=\"trained\">none</td>").doesNotContain("credit-features v1");
            // The deployment reading it, at the versions the API says it reads.
            var readers = json("/api/v1/features/customer_profile").get("deployments");
            assertThat(readers).hasSize(1);
            assertThat(between(view, "id=\"feature-deployments\"", "</table>")).contains(
                    "<tr data-deployment=\"" + UiFixture.FEATURE_DEPLOYMENT + "\">", "<td>credit_features</td>",
                    "<td class=\"num\">" + readers.get(0).get("service_version").asLong() + "</td>",
                    "<td class=\"num\">" + readers.get(0).get("view_version").asLong() + "</td>");

            // The service: trained on by the same run (its tags), read by the deployment.
            String service = html("/ui/features/credit_features");
            // (A service names its views, not their versions: a new view version is not a new service version.)
            assertThat(service).contains("A feature service, 1 version shown").doesNotContain("id=\"version-2\"");
            assertThat(between(service, "id=\"version-1\"", "</tr>")).contains("credit-features v1");
            assertThat(service).contains("<tr data-deployment=\"" + UiFixture.FEATURE_DEPLOYMENT + "\">");

            // The run's lineage shows the view it trained on, linked to the view's page at that version.
            String lineage = html("/ui/lineage?model=credit-features&version=1");
            assertThat(lineage).contains("/ui/features/customer_profile#version-1");

            notFound("/ui/features/no-such-view");
            badRequest("/ui/features/customer");
        }

        private static String between(String html, String from, String to) {
            int start = html.indexOf(from);
            assertThat(start).as("%s in the page", from).isNotNegative();
            int end = html.indexOf(to, start);
            return html.substring(start, end < 0 ? html.length() : end);
        }

        @Test
        void aPipelineShowsItsDagTriggersAndRunsAndItsRunShowsStepStates() throws Exception {
            String page = html("/ui/pipelines/profile-sales");
            assertThat(page).contains("<svg class=\"graph\" id=\"pipeline-dag\"");
            for (String step : List.of("read", "validate", "profile", "drift")) assertThat(page).contains("data-node=\"" + step + "\"");
            assertThat(page).contains("data-from=\"read\" data-to=\"validate\"", "data-from=\"profile\" data-to=\"drift\"")
                    .doesNotContain("data-from=\"read\" data-to=\"drift\"");
            assertThat(page).contains("href=\"/ui/pipelines/runs/" + fixture.pipelineRunId + "\"");
            String scoring = html("/ui/pipelines/score-customers");
            assertThat(scoring).contains("schedule \"0 2 * * *\" in Europe/Berlin", "id=\"pipeline-parameters\"", ">customers<");
            var next = dev.cairn.pipeline.schedule.CronSchedule.parse("0 2 * * *", java.time.ZoneId.of("Europe/Berlin"))
                    .next(java.time.Instant.now());
            assertThat(scoring).contains(Links.time(next).substring(0, 10));

            String run = html("/ui/pipelines/runs/" + fixture.pipelineRunId);
            assertThat(run).contains("<svg class=\"graph\" id=\"pipeline-run-dag\"");
            for (var step : fixture.server.pipelines().store().steps(fixture.pipelineRunId)) {
                assertThat(step.state().name()).isEqualTo("SUCCEEDED");
                assertThat(run).contains("<g class=\"node step state-SUCCEEDED\" data-node=\"" + step.stepId() + "\">");
                assertThat(run).contains("<a href=\"/ui/runs/" + step.trackingRunId() + "\">");
            }
            notFound("/ui/pipelines/no-such-pipeline");
            notFound("/ui/pipelines/runs/no-such-run");
        }

        @Test
        void runNowStartsARunThroughTheFormWithItsTokenAndConfirmation() throws Exception {
            HttpResponse<String> page = page("/ui/pipelines/profile-sales");
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            String token = cookie.substring(Csrf.COOKIE.length() + 1, cookie.indexOf(';'));
            assertThat(page.body()).contains("action=\"/ui/pipelines/profile-sales/run\"", "name=\"csrf\" value=\"" + token + "\"");
            int before = runs("profile-sales");

            assertThat(submit("/ui/pipelines/profile-sales/run", "confirm=yes", "cairn_csrf=" + token, null).statusCode()).isEqualTo(403);
            assertThat(submit("/ui/pipelines/profile-sales/run", "confirm=yes&csrf=" + token, "cairn_csrf=" + token, "http://evil.example")
                    .statusCode()).isEqualTo(403);
            assertThat(submit("/ui/pipelines/profile-sales/run", "csrf=" + token, "cairn_csrf=" + token, null).statusCode()).isEqualTo(400);
            assertThat(submit("/ui/pipelines/no-such-pipeline/run", "confirm=yes&csrf=" + token, "cairn_csrf=" + token, null).statusCode())
                    .isEqualTo(404);
            assertThat(runs("profile-sales")).isEqualTo(before);

            HttpResponse<String> started = submit("/ui/pipelines/profile-sales/run", "confirm=yes&cause=" + Links.encode("schema <fixed>")
                    + "&csrf=" + token, "cairn_csrf=" + token, fixture.url());
            assertThat(started.statusCode()).isEqualTo(303);
            String location = started.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith("/ui/pipelines/runs/");
            var run = fixture.server.pipelines().store().getRun(location.substring("/ui/pipelines/runs/".length()));
            assertThat(run.pipeline()).isEqualTo("profile-sales");
            assertThat(run.trigger()).isEqualTo("manual");
            assertThat(run.actor()).isEqualTo("grace");
            assertThat(run.cause()).isEqualTo("schema <fixed>");
            assertThat(runs("profile-sales")).isEqualTo(before + 1);
            assertThat(html(location)).contains("schema &lt;fixed&gt;");
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
            while (!fixture.server.pipelines().store().getRun(run.runId()).state().terminal() && java.time.Instant.now().isBefore(deadline)) Thread.sleep(50);
        }

        @Test
        void pauseAndResumeTriggersAndCancelARunThroughFormsWithTheirTokenAndConfirmation() throws Exception {
            var store = fixture.server.pipelines().store();
            HttpResponse<String> page = page("/ui/pipelines/score-customers");
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            String token = cookie.substring(Csrf.COOKIE.length() + 1, cookie.indexOf(';'));
            assertThat(page.body()).contains("id=\"pause-triggers\"", "action=\"/ui/pipelines/score-customers/paused\"",
                    "name=\"paused\" value=\"true\"", "Pause triggers");
            String form = "paused=true&confirm=yes&csrf=" + token;
            assertThat(submit("/ui/pipelines/score-customers/paused", "paused=true&confirm=yes", "cairn_csrf=" + token, null).statusCode())
                    .isEqualTo(403);
            assertThat(submit("/ui/pipelines/score-customers/paused", form, "cairn_csrf=" + token, "http://evil.example").statusCode())
                    .isEqualTo(403);
            assertThat(submit("/ui/pipelines/score-customers/paused", "paused=true&csrf=" + token, "cairn_csrf=" + token, null).statusCode())
                    .isEqualTo(400);
            assertThat(submit("/ui/pipelines/score-customers/paused", "paused=maybe&confirm=yes&csrf=" + token, "cairn_csrf=" + token, null)
                    .statusCode()).isEqualTo(400);
            assertThat(store.getPipeline("score-customers").orElseThrow().paused()).isFalse();

            HttpResponse<String> paused = submit("/ui/pipelines/score-customers/paused", form, "cairn_csrf=" + token, fixture.url());
            assertThat(paused.statusCode()).isEqualTo(303);
            assertThat(paused.headers().firstValue("Location")).contains("/ui/pipelines/score-customers");
            assertThat(store.getPipeline("score-customers").orElseThrow().paused()).isTrue();
            assertThat(html("/ui/pipelines/score-customers")).contains("Triggers paused", "Resume triggers", "name=\"paused\" value=\"false\"");
            assertThat(submit("/ui/pipelines/score-customers/paused", "paused=false&confirm=yes&csrf=" + token, "cairn_csrf=" + token, null)
                    .statusCode()).isEqualTo(303);
            assertThat(store.getPipeline("score-customers").orElseThrow().paused()).isFalse();

            // A finished run has no cancel form, and cancelling it anyway is refused; nothing changes.
            String finished = html("/ui/pipelines/runs/" + fixture.pipelineRunId);
            assertThat(finished).doesNotContain("id=\"cancel-run\"");
            assertThat(submit("/ui/pipelines/runs/" + fixture.pipelineRunId + "/cancel", "csrf=" + token, "cairn_csrf=" + token, null)
                    .statusCode()).isEqualTo(400);
            HttpResponse<String> refused = submit("/ui/pipelines/runs/" + fixture.pipelineRunId + "/cancel", "confirm=yes&csrf=" + token,
                    "cairn_csrf=" + token, null);
            assertThat(refused.statusCode()).as("as the API: INVALID_STATE").isEqualTo(dev.cairn.core.error.ErrorCode.INVALID_STATE.httpStatus());
            assertThat(refused.body()).contains("already ended");
            assertThat(refused.body()).contains("<h1>");
            assertThat(store.getRun(fixture.pipelineRunId).state().name()).isEqualTo("SUCCEEDED");
            assertThat(submit("/ui/pipelines/runs/no-such-run/cancel", "confirm=yes&csrf=" + token, "cairn_csrf=" + token, null).statusCode())
                    .isEqualTo(404);
        }

        private int runs(String pipeline) {
            return fixture.server.pipelines().store().listRuns(pipeline, java.util.Set.of(), 1000, null).items().size();
        }

        HttpResponse<String> submit(String path, String form, String cookie, String origin) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.url() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie).header("X-Cairn-User", "grace")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (origin != null) request.header("Origin", origin);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void theLineageOfAScoredCustomerReachesTheModelVersionItsRunAndTheTrainingData() throws Exception {
            String best = fixture.trialIds.getLast();
            String page = html("/ui/lineage?from=customer&q=" + fixture.scoredCustomer + "&field=customer_id");
            assertThat(page).contains("<svg class=\"graph\" id=\"lineage-graph\"");
            // Upstream: the logged score, the version that answered, the run it was registered from, that run's training data.
            assertThat(node(page, "customer:customer_id=" + fixture.scoredCustomer)).contains("data-side=\"start\"");
            assertThat(node(page, "models:/credit-risk/2")).contains("data-side=\"upstream\"", "href=\"/ui/models/credit-risk#v2\"");
            assertThat(node(page, "run:" + best)).contains("data-side=\"upstream\"", "href=\"/ui/runs/" + best + "\"");
            assertThat(node(page, "dataset:9f2c4e1a")).contains("data-side=\"upstream\"", ">credit-g<",
                    "href=\"/ui/lineage?dataset=9f2c4e1a\"");
            assertThat(node(page, "run:" + fixture.parentId)).contains("data-side=\"upstream\"");
            assertThat(node(page, "deployment:credit")).contains("data-side=\"upstream\"");
            // The nightly step that scored it (the last day's run), and what that step read: the customers' snapshot.
            String scoreRun = fixture.scoreRunIds.getLast();
            assertThat(node(page, "step:" + scoreRun + "/score")).contains("data-side=\"upstream\"", "href=\"/ui/pipelines/runs/" + scoreRun + "\"");
            assertThat(node(page, "step:" + scoreRun + "/read")).contains("data-side=\"upstream\"");
            for (String other : fixture.scoreRunIds.subList(0, UiFixture.DAYS - 1)) assertThat(page).doesNotContain("data-node=\"step:" + other);
            // Every linked node is a link in the drawing too.
            assertThat(page).contains("<a href=\"/ui/models/credit-risk#v2\"><title>credit-risk v2");
            // Nothing sideways: version 1, registered from another trial that read the same data, is neither up- nor downstream.
            assertThat(page).doesNotContain("data-node=\"models:/credit-risk/1\"");
        }

        @Test
        void theLineageOfAModelVersionGoesUpToItsDataAndDownToItsEvaluationAliasDeploymentAndScores() throws Exception {
            String page = html("/ui/lineage?model=credit-risk&version=2");
            assertThat(node(page, "models:/credit-risk/2")).contains("data-side=\"start\"");
            assertThat(node(page, "dataset:9f2c4e1a")).contains("data-side=\"upstream\"");
            assertThat(node(page, "run:" + fixture.evaluationRunId)).contains("data-side=\"downstream\"", ">evaluation<",
                    "href=\"/ui/runs/" + fixture.evaluationRunId + "/evaluation\"");
            assertThat(node(page, "alias:credit-risk@champion")).contains("data-side=\"downstream\"", "set by grace: blessed: precision 0.71 &gt;= 0.6");
            assertThat(node(page, "deployment:credit")).contains("data-side=\"downstream\"");
            for (String run : fixture.scoreRunIds) {
                assertThat(node(page, "step:" + run + "/score")).contains("data-side=\"downstream\"");
            }
            // The form's own spelling reaches the same graph; a version's lineage is linked from the model page.
            assertThat(html("/ui/lineage?from=model&q=" + Links.encode("models:/credit-risk/2"))).contains("data-node=\"dataset:9f2c4e1a\"");
            assertThat(html("/ui/models/credit-risk")).contains("href=\"/ui/lineage?uri=models%3A%2Fcredit-risk%2F2\"");

            // From the training data down: the three trials read it, and the versions registered from two of them.
            String data = html("/ui/lineage?dataset=9f2c4e1a");
            for (String trial : fixture.trialIds) assertThat(node(data, "run:" + trial)).contains("data-side=\"downstream\"");
            assertThat(node(data, "models:/credit-risk/1")).contains("data-side=\"downstream\"");
            assertThat(node(data, "models:/credit-risk/2")).contains("data-side=\"downstream\"");

            // A prediction by its request id: the log's own id of one of the scored rows.
            var logged = fixture.server.monitoring().predictions("customer_id", fixture.scoredCustomer, 1).getFirst();
            String request = html("/ui/lineage?request=" + Links.encode(logged.requestId()));
            assertThat(node(request, "prediction:" + logged.requestId())).contains("data-side=\"start\"");
            assertThat(node(request, "models:/credit-risk/2")).contains("data-side=\"upstream\"");

            // A pipeline's snapshot, by the URI its run page links.
            var snapshot = fixture.server.pipelines().store().lineageOfRun(fixture.pipelineRunId).stream().filter(e -> e.kind().equals("snapshot")).findFirst().orElseThrow();
            String uri = html("/ui/lineage?uri=" + Links.encode(snapshot.uri()));
            assertThat(node(uri, "step:" + fixture.pipelineRunId + "/read")).contains("data-side=\"upstream\"");
            assertThat(node(uri, "step:" + fixture.pipelineRunId + "/profile")).contains("data-side=\"downstream\"");

            assertThat(html("/ui/lineage")).contains("id=\"lineage-form\"").doesNotContain("id=\"lineage-graph\"");
            notFound("/ui/lineage?request=no-such-request");
            notFound("/ui/lineage?from=customer&q=C999999");
            notFound("/ui/lineage?model=credit-risk&version=99");
            notFound("/ui/lineage?model=no-such-model&version=1");
            notFound("/ui/lineage?dataset=abcdef0123");
            notFound("/ui/lineage?uri=" + Links.encode("snapshot:0000"));
            badRequest("/ui/lineage?dataset=not-a-hash");
            badRequest("/ui/lineage?model=credit-risk&version=two");
            badRequest("/ui/lineage?from=anything&q=1");
        }

        /** Text as the templates write it (jte's HTML escaping). */
        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
        }

        /** The row of the lineage page's node table for {@code id}. */
        private String node(String page, String id) {
            String start = "<tr data-node=\"" + escape(id) + "\"";
            int at = page.indexOf(start);
            assertThat(at).as("node " + id + " in the lineage").isNotNegative();
            return page.substring(at, page.indexOf("</tr>", at));
        }

        private String text(dev.cairn.server.tracking.ArtifactLocations artifacts, String runId, String path) throws Exception {
            try (var in = artifacts.open(store().runs().getRun(runId).info().artifactUri()).open(path)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }
}

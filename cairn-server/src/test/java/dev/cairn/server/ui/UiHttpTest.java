package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
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
import org.junit.jupiter.api.Test;
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
}

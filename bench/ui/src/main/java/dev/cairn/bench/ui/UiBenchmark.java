package dev.cairn.bench.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.bench.ui.HttpProbes.Probe;
import dev.cairn.bench.ui.HttpProbes.Request;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web UI benchmark: a real {@code cairn server} in this JVM (SQLite, loopback, port 0) over {@link BenchData}, and
 * for each page the server time (an HTTP client's) beside the same data through the server's JSON API, then
 * DOMContentLoaded and the chart drawn in headless Chromium beside minimal static pages, all in one run; printed as a
 * Markdown table with the targets of issue 13 and rows at the sizes MLflow's issues report breaking.
 *
 * <pre>
 * arguments: WORK_DIR [--runs 100000] [--http-warmup 10] [--http-reps 30] [--browser-warmup 3] [--browser-reps 10]
 *            [--browser on|off] [--rows REGEX]
 * </pre>
 * The data is kept in WORK_DIR/runs-N and reused by later runs of the same size.
 */
public final class UiBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SORT_KEY = "m07";
    /** The runs page at this offset: where MLflow's table broke (mlflow#627) and "Load more" crawled (#5653). */
    private static final int DEEP_OFFSET = 1_700;
    private static final int WARM_ROUNDS = 30;

    private final BenchData data;
    private final HttpProbes http;
    private final int httpWarmup;
    private final int httpReps;
    private final List<String[]> rows = new ArrayList<>();
    private static Pattern only = Pattern.compile("");

    private UiBenchmark(BenchData data, HttpProbes http, int httpWarmup, int httpReps) {
        this.data = data;
        this.http = http;
        this.httpWarmup = httpWarmup;
        this.httpReps = httpReps;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("usage: UiBenchmark WORK_DIR [--runs N] [--http-warmup N] [--http-reps N]"
                    + " [--browser-warmup N] [--browser-reps N] [--browser on|off] [--rows REGEX]");
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "100000").replace("_", ""));
        int httpWarmup = Integer.parseInt(options.getOrDefault("http-warmup", "10"));
        int httpReps = Integer.parseInt(options.getOrDefault("http-reps", "30"));
        int browserWarmup = Integer.parseInt(options.getOrDefault("browser-warmup", "3"));
        int browserReps = Integer.parseInt(options.getOrDefault("browser-reps", "10"));
        boolean browser = !options.getOrDefault("browser", "on").equals("off");
        // --rows REGEX: only the rows whose operation matches (found anywhere in it), to re-measure what a change touched.
        only = Pattern.compile(options.getOrDefault("rows", ""));

        System.out.printf(Locale.ROOT, "Cairn web UI benchmark, %s%n", Instant.now());
        System.out.printf(Locale.ROOT, "JDK %s, %s %s, %d processors, max heap %d MiB, commit %s%n", System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("cairn.bench.commit", "unknown"));
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());

        Path dir = work.resolve("runs-" + runs);
        BenchData existing = BenchData.existing(dir, runs);
        if (existing == null) {
            deleteTree(dir); // an interrupted load: start again
            Files.createDirectories(dir);
        }
        ServerOptions serverOptions = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0);
        // No background jobs: nothing but the measured requests runs in the server.
        try (ServerMain.RunningServer server = ServerMain.start(serverOptions, Clock.systemUTC(), false)) {
            BenchData data = existing;
            if (data == null) {
                System.out.printf(Locale.ROOT, "[data] loading %,d runs through the store API into %s%n", runs, dir);
                long start = System.nanoTime();
                data = BenchData.generate(server.store(), dir, runs);
                System.out.printf(Locale.ROOT, "[data] loaded in %.0f s; load average %s%n", (System.nanoTime() - start) / 1e9, loadAverage());
            } else {
                System.out.printf(Locale.ROOT, "[data] reusing %s%n", dir);
            }
            System.out.printf(Locale.ROOT, "server %s; HTTP: %d warm-up + %d timed rounds; Chromium: %d warm-up + %d timed loads%n%n",
                    server.url(), httpWarmup, httpReps, browserWarmup, browserReps);

            UiBenchmark bench = new UiBenchmark(data, new HttpProbes(server.url()), httpWarmup, httpReps);
            bench.serverTimes();
            System.out.printf(Locale.ROOT, "[http] done; load average %s%n", loadAverage());
            if (browser && BrowserProbes.available()) {
                bench.browserTimes(dir.resolve("chromium-profile"), browserWarmup, browserReps);
                System.out.printf(Locale.ROOT, "[chromium] done; load average %s%n", loadAverage());
            } else {
                System.out.println("[chromium] skipped (--browser off, or /usr/bin/chromium and /usr/bin/chromedriver missing)");
            }
            System.out.printf(Locale.ROOT, "%nload average at end: %s%n%n", loadAverage());
            bench.print();
        }
    }

    // ---- the pages and their baselines ----

    private String runsPage(String experimentId, String orderBy, String pageToken, boolean allColumns) {
        List<String> query = new ArrayList<>();
        if (allColumns) for (String key : BenchData.metricKeys()) query.add("col=" + encode("metrics." + key));
        if (orderBy != null) query.add("order_by=" + encode(orderBy));
        if (pageToken != null) query.add("page_token=" + encode(pageToken));
        return "/ui/experiments/" + experimentId + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    private static Request search(String experimentId, String filter, String orderBy, String pageToken, int maxResults) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("experiment_ids").add(experimentId);
        body.put("max_results", maxResults);
        if (filter != null) body.put("filter", filter);
        if (orderBy != null) body.putArray("order_by").add(orderBy);
        if (pageToken != null) body.put("page_token", pageToken);
        return Request.post("/api/2.0/mlflow/runs/search", body.toString());
    }

    private static String compare(String route, List<String> runs, boolean key) {
        StringBuilder url = new StringBuilder(route).append('?');
        for (String id : runs) url.append("run=").append(id).append('&');
        if (key) url.append("key=").append(BenchData.HISTORY_KEY);
        else url.setLength(url.length() - 1);
        return url.toString();
    }

    private static Request history(String runId) {
        return Request.json("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + BenchData.HISTORY_KEY);
    }

    private static Request[] histories(List<String> runs) {
        return runs.stream().map(UiBenchmark::history).toArray(Request[]::new);
    }

    private static Request runIdSearch(String experimentId, List<String> runs) {
        return search(experimentId, "attributes.run_id IN ('" + String.join("', '", runs) + "')", null, null, runs.size());
    }

    /** The page token of the runs page at {@link #DEEP_OFFSET}, walked to through runs/search as a client pages. */
    private String deepToken() throws IOException, InterruptedException {
        String token = null;
        for (int offset = 0; offset < DEEP_OFFSET; offset += 50) {
            JsonNode page = JSON.readTree(http.fetch(search(data.experimentId(), null, null, token, 50)));
            token = page.path("next_page_token").asText(null);
        }
        return token;
    }

    private void serverTimes() throws IOException, InterruptedException {
        String main = data.experimentId();
        String longRun = data.longRuns().getFirst();
        List<String> compared = data.compared();
        String sort = "metrics." + SORT_KEY + " DESC";

        // The JIT first: every page type a few times before any row is timed, so the first row is not the one that pays.
        Probe warm = Probe.of("warm-up", Request.page(runsPage(main, null, null, true)), Request.page(runsPage(main, sort, null, true)),
                Request.page("/ui/runs/" + longRun), Request.json("/ui/runs/" + longRun + "/metric-series?key=" + BenchData.HISTORY_KEY),
                Request.page(compare("/ui/compare", data.compared(20), false)),
                Request.json(compare("/ui/compare/metric-series", data.compared(20), true)),
                search(main, null, null, null, 50));
        long warmStart = System.nanoTime();
        http.measure(warm, null, 0, WARM_ROUNDS);
        System.out.printf(Locale.ROOT, "[http] warm-up: %d rounds of every page type in %.0f s%n", WARM_ROUNDS, (System.nanoTime() - warmStart) / 1e9);

        add("target", "runs page, first 50 of " + count(data.runs()) + " runs, 50 metric columns: server",
                Probe.of("runs", Request.page(runsPage(main, null, null, true))),
                Probe.of("search", search(main, null, null, null, 50)), "runs/search, the same 50 runs (JSON)", "≤ 150", 150);
        add("target", "runs page sorted by metric " + SORT_KEY + ": server",
                Probe.of("sorted", Request.page(runsPage(main, sort, null, true))),
                Probe.of("search sorted", search(main, null, sort, null, 50)), "runs/search, the same order_by", "≤ 300", 300);
        add("target", "run page of a run with a 10,000-step metric: server (HTML)",
                Probe.of("run", Request.page("/ui/runs/" + longRun)),
                Probe.of("runs/get", Request.json("/api/2.0/mlflow/runs/get?run_id=" + longRun)), "runs/get", "", 0);
        add("target", "  its chart data, 10,000 steps as 1,000 points: server",
                Probe.of("series", Request.json("/ui/runs/" + longRun + "/metric-series?key=" + BenchData.HISTORY_KEY)),
                Probe.of("history", history(longRun)), "metrics/get-history, all 10,000 points", "", 0);
        add("target", "compare " + compared.size() + " runs: server (HTML)",
                Probe.of("compare", Request.page(compare("/ui/compare", compared, false))),
                Probe.of("search ids", runIdSearch(main, compared)), "runs/search, run_id IN (the 200 ids)", "", 0);
        add("target", "  chart data, 200 × " + BenchData.COMPARED_STEPS + " steps: server",
                Probe.of("compare series", Request.json(compare("/ui/compare/metric-series", compared, true))),
                Probe.of("histories", histories(compared)), "200 × metrics/get-history", "", 0);
        add("target", "  parallel coordinates data: server",
                Probe.of("parallel", Request.json(compare("/ui/compare/parallel", compared, true))), null, "", "", 0);

        add("anchor", "mlflow#627, #1517: an experiment of " + count(BenchData.ANCHOR_RUNS) + " runs, first page: server",
                Probe.of("anchor runs", Request.page(runsPage(data.anchorExperimentId(), null, null, true))),
                Probe.of("anchor search", search(data.anchorExperimentId(), null, null, null, 50)), "runs/search, the same 50 runs", "", 0);
        if (data.runs() >= DEEP_OFFSET + 50) {
            String token = deepToken();
            add("anchor", "mlflow#5653: the page of runs 1,701–1,750 of " + count(data.runs()) + ": server",
                    Probe.of("deep", Request.page(runsPage(main, null, token, true))),
                    Probe.of("deep search", search(main, null, null, token, 50)), "runs/search, the same page token", "", 0);
        }
        add("anchor", "mlflow#9779: compare 10 runs × 10,000 steps, chart data: server",
                Probe.of("long series", Request.json(compare("/ui/compare/metric-series", data.longRuns(), true))),
                Probe.of("long histories", histories(data.longRuns())), "10 × metrics/get-history", "", 0);
        add("anchor", "mlflow#11927: runs page, 50 runs × " + count(BenchData.WIDE_METRICS) + " metric keys: server",
                Probe.of("wide runs", Request.page(runsPage(data.wideExperimentId(), null, null, false))),
                Probe.of("wide search", search(data.wideExperimentId(), null, null, null, 50)), "runs/search, the same 50 runs", "", 0);
        add("anchor", "  run page of one of them (" + count(BenchData.WIDE_METRICS) + " metrics): server",
                Probe.of("wide run", Request.page("/ui/runs/" + data.wideRunId())),
                Probe.of("wide runs/get", Request.json("/api/2.0/mlflow/runs/get?run_id=" + data.wideRunId())), "runs/get", "", 0);
        List<String> compared101 = data.compared(101);
        add("anchor", "mlflow#21841: compare 101 runs: server (HTML)",
                Probe.of("compare 101", Request.page(compare("/ui/compare", compared101, false))),
                Probe.of("search 101", runIdSearch(main, compared101)), "runs/search, run_id IN (101 ids)", "", 0);
    }

    private void browserTimes(Path profile, int warmup, int reps) throws IOException, InterruptedException {
        String main = data.experimentId();
        String longRun = data.longRuns().getFirst();
        List<String> compared = data.compared();
        byte[] echarts = http.fetch(Request.json("/ui/assets/echarts.min.js"));
        try (StaticSite site = new StaticSite(echarts); BrowserProbes browser = new BrowserProbes(profile)) {
            System.out.printf(Locale.ROOT, "[chromium] %s%n", browser.version());
            String staticPage = "the same HTML as a static page (no scripts, no styles)";

            if (wanted("runs page, first page")) {
                String runs = runsPage(main, null, null, true);
                var first = browser.measure(url(runs), site.page("runs", html(runs)), false, warmup, reps);
                browserRow("target", "runs page, first page: DOMContentLoaded in Chromium", first.cairnDcl(), first.baselineDcl(), staticPage, "≤ 1,000", 1000);
            }
            if (wanted("sorted by")) {
                String sorted = runsPage(main, "metrics." + SORT_KEY + " DESC", null, true);
                var sortedLoad = browser.measure(url(sorted), site.page("sorted", html(sorted)), false, warmup, reps);
                browserRow("target", "  sorted by " + SORT_KEY + ": DOMContentLoaded", sortedLoad.cairnDcl(), sortedLoad.baselineDcl(), staticPage, "", 0);
            }
            if (wanted("run page: ")) {
                String run = "/ui/runs/" + longRun;
                var runLoad = browser.measure(url(run), site.chartPage("run", html(run), rawHistories(List.of(longRun))), true, warmup, reps);
                breakdown("run page", runLoad);
                browserRow("target", "run page: the 10,000-step chart drawn (from navigation start)", runLoad.cairnDrawn(), runLoad.baselineDrawn(),
                        "static page drawing the raw 10,000 points with ECharts", "≤ 300", 300);
                browserRow("target", "  run page: DOMContentLoaded", runLoad.cairnDcl(), runLoad.baselineDcl(), staticPage + " + ECharts", "", 0);
            }
            if (wanted("compare 200 runs")) {
                String comparePage = compare("/ui/compare", compared, false);
                var compareLoad = browser.measure(url(comparePage), site.chartPage("compare", html(comparePage), rawHistories(compared)), true,
                        warmup, reps);
                breakdown("compare 200 runs", compareLoad);
                browserRow("target", "compare 200 runs: both charts drawn (from navigation start)", compareLoad.cairnDrawn(), compareLoad.baselineDrawn(),
                        "static page drawing the raw 200 histories (line chart only)", "≤ 1,000", 1000);
                browserRow("target", "  compare 200 runs: DOMContentLoaded", compareLoad.cairnDcl(), compareLoad.baselineDcl(), staticPage + " + ECharts", "", 0);
            }
            if (wanted("mlflow#627")) {
                String anchorRuns = runsPage(data.anchorExperimentId(), null, null, true);
                var anchorLoad = browser.measure(url(anchorRuns), site.page("anchor", html(anchorRuns)), false, warmup, reps);
                browserRow("anchor", "mlflow#627: experiment of 1,701 runs, first page: DOMContentLoaded", anchorLoad.cairnDcl(), anchorLoad.baselineDcl(),
                        staticPage, "", 0);
            }
            if (wanted("mlflow#9779")) {
                String longCompare = compare("/ui/compare", data.longRuns(), false);
                var longLoad = browser.measure(url(longCompare), site.chartPage("long", html(longCompare), rawHistories(data.longRuns())), true,
                        warmup, reps);
                breakdown("compare 10 runs × 10,000 steps", longLoad);
                browserRow("anchor", "mlflow#9779: compare 10 runs × 10,000 steps: charts drawn", longLoad.cairnDrawn(), longLoad.baselineDrawn(),
                        "static page drawing the raw 100,000 points", "", 0);
            }
            if (wanted("mlflow#11927")) {
                String wideRuns = runsPage(data.wideExperimentId(), null, null, false);
                var wideLoad = browser.measure(url(wideRuns), site.page("wide", html(wideRuns)), false, warmup, reps);
                browserRow("anchor", "mlflow#11927: runs page, 12,000 metric keys: DOMContentLoaded", wideLoad.cairnDcl(), wideLoad.baselineDcl(),
                        staticPage, "", 0);
            }
            if (wanted("run page with 12,000")) {
                String wideRun = "/ui/runs/" + data.wideRunId();
                var wideRunLoad = browser.measure(url(wideRun), site.page("wide-run", html(wideRun)), false, warmup, reps);
                browserRow("anchor", "  run page with 12,000 metrics: DOMContentLoaded", wideRunLoad.cairnDcl(), wideRunLoad.baselineDcl(), staticPage, "", 0);
            }
            if (wanted("mlflow#21841")) {
                List<String> compared101 = data.compared(101);
                String compare101 = compare("/ui/compare", compared101, false);
                var load101 = browser.measure(url(compare101), site.chartPage("compare-101", html(compare101), rawHistories(compared101)), true,
                        warmup, reps);
                breakdown("compare 101 runs", load101);
                browserRow("anchor", "mlflow#21841: compare 101 runs: both charts drawn", load101.cairnDrawn(), load101.baselineDrawn(),
                        "static page drawing the raw 101 histories", "", 0);
            }
        }
    }

    private String url(String path) {
        return http.base() + path;
    }

    private String html(String path) throws IOException, InterruptedException {
        return new String(http.fetch(Request.page(path)), StandardCharsets.UTF_8);
    }

    /** The histories as the JSON API returns them: a JSON array of metrics/get-history answers. */
    private byte[] rawHistories(List<String> runs) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder("[");
        for (String id : runs) {
            if (out.length() > 1) out.append(',');
            out.append(new String(http.fetch(history(id)), StandardCharsets.UTF_8));
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- the table ----

    private void add(String group, String operation, Probe cairn, Probe baseline, String baselineIs, String target, double limit)
            throws IOException, InterruptedException {
        if (!wanted(operation)) return;
        HttpProbes.Timing timing = http.measure(cairn, baseline, httpWarmup, httpReps);
        System.out.printf(Locale.ROOT, "[http] %-70s Cairn %s ms (%,d bytes)%s%n", operation.strip(), timing.cairn().shown(), timing.cairnBytes(),
                timing.baseline() == null ? "" : String.format(Locale.ROOT, ", baseline %s ms (%,d bytes)", timing.baseline().shown(),
                        timing.baselineBytes()));
        row("server", group, operation, timing.cairn(), timing.baseline(), baselineIs, target, limit);
    }

    /** Whether --rows asks for the row of this operation. */
    private static boolean wanted(String operation) {
        return only.matcher(operation).find();
    }

    /** Where a chart page's time went: DOMContentLoaded, the chart data received, drawn (medians), for Cairn and the baseline. */
    private static void breakdown(String page, BrowserProbes.Timing t) {
        System.out.printf(Locale.ROOT, "[chromium] %s, medians: Cairn DOMContentLoaded %s, chart data received %s, drawn %s ms;"
                        + " baseline %s, %s, %s ms%n", page, Stats.ms(t.cairnDcl().median()), Stats.ms(t.cairnData().median()),
                Stats.ms(t.cairnDrawn().median()), Stats.ms(t.baselineDcl().median()), Stats.ms(t.baselineData().median()),
                Stats.ms(t.baselineDrawn().median()));
    }

    private void browserRow(String group, String operation, Stats cairn, Stats baseline, String baselineIs, String target, double limit) {
        System.out.printf(Locale.ROOT, "[chromium] %-70s Cairn %s ms, baseline %s ms%n", operation.strip(), cairn.shown(), baseline.shown());
        row("browser", group, operation, cairn, baseline, baselineIs, target, limit);
    }

    private void row(String kind, String group, String operation, Stats cairn, Stats baseline, String baselineIs, String target,
                     double limit) {
        String met = limit <= 0 ? "" : cairn.median() <= limit ? (cairn.p95() <= limit ? "yes" : "yes (median; p95 over)") : "**no**";
        rows.add(new String[] {kind, group.equals("anchor") ? "MLflow anchor" : "issue 13", operation, Integer.toString(cairn.samples()),
                cairn.shown(), baseline == null ? "" : baseline.shown(), baselineIs == null ? "" : baselineIs, target, met});
    }

    /** Two Markdown tables, server times then Chromium's; in each the rows of issue 13's targets first, then the anchors. */
    private void print() {
        for (String kind : List.of("server", "browser")) {
            List<String[]> table = rows.stream().filter(r -> r[0].equals(kind))
                    .sorted(Comparator.comparing((String[] r) -> !r[1].equals("issue 13")))
                    .map(r -> Arrays.copyOfRange(r, 1, r.length)).toList();
            if (table.isEmpty()) continue;
            System.out.println(kind.equals("server")
                    ? "Server time (HTTP client on loopback, request sent to last byte received):"
                    : "Chromium (headless, from navigation start; warm cache for scripts):");
            System.out.println();
            String[] header = {"rows", "operation", "n", "Cairn ms (median / p95)", "baseline ms (median / p95)", "baseline is", "target ms", "met?"};
            int[] widths = new int[header.length];
            for (String[] row : Stream.concat(Stream.<String[]>of(header), table.stream()).toList()) {
                for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
            }
            printRow(header, widths);
            StringBuilder rule = new StringBuilder("|");
            for (int i = 0; i < widths.length; i++) {
                rule.append(i >= 2 && i <= 4 ? "-".repeat(widths[i] + 1) + ":|" : "-".repeat(widths[i] + 2) + "|");
            }
            System.out.println(rule);
            for (String[] row : table) printRow(row, widths);
            System.out.println();
        }
    }

    private static void printRow(String[] row, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < row.length; i++) {
            String pad = " ".repeat(widths[i] - row[i].length());
            line.append(' ').append(i >= 2 && i <= 4 ? pad + row[i] : row[i] + pad).append(" |");
        }
        System.out.println(line);
    }

    // ---- plumbing ----

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Other work on the machine skews timings: the report says how busy it was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "unavailable";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs after the work directory, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }
}

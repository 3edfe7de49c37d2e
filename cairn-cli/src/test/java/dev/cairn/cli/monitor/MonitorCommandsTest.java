package dev.cairn.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn monitor alerts | labels | status | report | backfill}, in process, on a prediction log a real
 * {@code cairn server} wrote: a model is trained ({@code cairn train}) and registered ({@code cairn models register})
 * in a SQLite store in a temporary directory, served as {@value #DEPLOYMENT}, and sent four past days of traffic
 * (day 1 with refusals, day 3 shifted); the server is then stopped and the commands read its serving home.
 * The steps build on each other, in order: rules, labels, status, report, backfill; bad input last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("cairn monitor alerts | labels | status | report | backfill on a log the server wrote")
class MonitorCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEPLOYMENT = "credit";
    static final String MODEL = "credit-model";
    static final int DAYS = 4;
    static final int PER_DAY = 50;
    static final boolean[] SHIFTED = {false, false, false, true};
    static final int[] REFUSED = {0, 3, 0, 0};
    static final String RULES = """
            window: day
            rules:
              - name: input-drift
                metric: drift.share
                comparison: ">="
                threshold: 0.5
                severity: critical
              - name: refused-requests
                metric: volume.refused_rate
                comparison: ">"
                threshold: 0.02
            """;

    @TempDir
    static Path dir;
    static String store;
    static String artifacts;
    static Path servingHome;

    /** One request sent: its day, when, the customer, whether it was accepted, and the predicted label. */
    record Sent(int day, Instant time, Customers.Customer customer, boolean accepted, String predicted) {}

    static final List<Sent> SENT = new ArrayList<>();

    /** Taken once, so a test running over midnight UTC keeps the same days. */
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    /** Midnight UTC of day {@code k} of the four days ending yesterday: every window has closed. */
    static Instant day(int k) {
        return TODAY.minusDays(DAYS - k).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    /** A monitor command with --serving-home. */
    static CliRunner.Result monitor(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "monitor";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--serving-home";
        all[args.length + 2] = servingHome.toString();
        return cairn(all);
    }

    @BeforeAll
    static void trainServeAndLog() throws Exception {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        servingHome = dir.resolve("serving-home");
        Path data = Customers.trainingFile(dir.resolve("data"), 800, 11);
        CliRunner.Result trained = cairn("train", "--data", data.toString(), "--label", "class", "--drop", "customer_id",
                "--positive-class", Customers.POSITIVE, "-p", "num_boost_round=20", "-p", "max_depth=3", "--experiment", "monitor", "--json");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        String runId = JSON.readTree(trained.out()).path("run_id").asText();
        CliRunner.Result registered = cairn("models", "register", "--name", MODEL, "--run-id", runId);
        assertThat(registered.exitCode()).as(registered.err()).isZero();

        // The server logs under its own serving home (beside the artifacts); the commands read a copy of that log in another
        // directory given with --serving-home, so they can only have found it through the option.
        ServerOptions options = new ServerOptions(store, artifacts, "127.0.0.1", 0);
        try (ServerMain.RunningServer server = ServerMain.start(options)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> deployed = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/deployments/" + DEPLOYMENT))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"targets\": [{\"model\": \"models:/" + MODEL + "/1\", \"weight\": 100}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            for (int k = 0; k < DAYS; k++) {
                SplittableRandom r = new SplittableRandom(3_000 + k);
                for (int i = 0; i < PER_DAY; i++) {
                    Customers.Customer c = Customers.customer(r, 10_000L * (k + 1) + i, SHIFTED[k]);
                    boolean refuse = i % 10 == 3 && i / 10 < REFUSED[k];
                    if (refuse) c = c.withPurpose("crypto");
                    Instant at = day(k).plus(Duration.ofHours(4)).plus(Duration.ofMinutes(15L * i));
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/deployments/"
                                    + DEPLOYMENT + "/predict")).header("Content-Type", "application/json")
                            .header("X-Cairn-Prediction-Time", at.toString()).header("X-Request-Id", "c" + k + "-" + i)
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("inputs", c.row()))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(refuse ? 400 : 200);
                    String predicted = refuse ? null : JSON.readTree(answer.body()).path("predictions").get(0).path("label").asText();
                    SENT.add(new Sent(k, at, c, !refuse, predicted));
                }
            }
        } // stopping the server writes the log's queue out
        copy(ServerMain.servingHome(options).resolve("predictions"), servingHome.resolve("predictions"));
    }

    /** Copies the complete segments of a prediction log (its predictions/ and feedback/ directories). */
    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        try (var files = Files.walk(to)) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).as("log segments copied").isNotEmpty();
        }
    }

    static List<Sent> accepted(int k) {
        return SENT.stream().filter(s -> s.day() == k && s.accepted()).toList();
    }

    static JsonNode json(CliRunner.Result r) throws IOException {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    @Order(1)
    @DisplayName("monitor alerts D --rules FILE installs the rules and lists them; --json shows the same")
    void alertsInstallsAndLists() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, RULES);
        CliRunner.Result r = monitor("alerts", DEPLOYMENT, "--rules", rules.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(DEPLOYMENT + ": 2 rules over day windows, 0 webhooks");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("input-drift").contains("drift.share >= 0.5").contains("critical").endsWith("ok"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("refused-requests").contains("volume.refused_rate > 0.02").contains("warning"));
        assertThat(servingHome.resolve("alerts").resolve(DEPLOYMENT + ".yaml")).hasContent(RULES);

        JsonNode j = json(monitor("alerts", DEPLOYMENT, "--json"));
        assertThat(j.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(j.path("rules").path("rules")).extracting(x -> x.path("name").asText()).containsExactly("input-drift", "refused-requests");
        assertThat(j.path("firing")).isEmpty();
        assertThat(j.path("events")).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("monitor labels D --input labels.csv --join-on customer_id --time-column known_at imports every row of the file")
    void labelsImportJoinedOnCustomerId() throws Exception {
        StringBuilder csv = new StringBuilder("customer_id,class,known_at\n");
        for (int k : new int[] {0, 3}) {
            for (Sent s : accepted(k)) {
                csv.append(s.customer().id()).append(',').append(s.customer().label()).append(',')
                        .append(s.time().plus(Duration.ofHours(48))).append('\n');
            }
        }
        csv.append("424242,bad,").append(day(0)).append('\n'); // a customer never scored: imported, joined to nothing
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, csv);
        CliRunner.Result r = monitor("labels", DEPLOYMENT, "--input", labels.toString(), "--id-column", "customer_id", "--label-column", "class",
                "--join-on", "customer_id", "--time-column", "known_at");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("Imported " + (accepted(0).size() + accepted(3).size() + 1) + " labels for " + DEPLOYMENT
                + " (joined on customer_id)");
    }

    @Test
    @Order(3)
    @DisplayName("monitor status D reads the log, evaluates the rules and shows the latest window, its realized performance and the alert firing")
    void statusShowsTheLatestWindowAndFiringAlerts() throws Exception {
        CliRunner.Result text = monitor("status", DEPLOYMENT);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains(DEPLOYMENT + "  (" + DAYS + " day windows, versions [1])")
                .contains("latest window " + day(3) + " .. " + day(4) + ", model " + MODEL + " version 1")
                .contains("FIRING input-drift (critical): drift.share = 1 >= 0.5000 since " + day(3));
        List<String> lines = text.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l.strip()).matches("volume\\.rows\\s+" + PER_DAY));
        assertThat(lines).anySatisfy(l -> assertThat(l.strip()).matches("labels\\.coverage\\s+1"));
        assertThat(lines).anySatisfy(l -> assertThat(l.strip()).matches("estimated\\.precision\\s+\\S+\\s+\\[\\S+, \\S+]"));
        assertThat(lines).anySatisfy(l -> assertThat(l.strip()).startsWith("realized.precision"));
        assertThat(lines).anySatisfy(l -> assertThat(l.strip()).matches("drifted features\\s+.*").contains("age").contains("amount")
                .contains("purpose"));

        JsonNode j = json(monitor("status", DEPLOYMENT, "--json", "--no-refresh"));
        JsonNode s = j.path("deployments").get(0);
        assertThat(s.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(s.path("windows").asInt()).isEqualTo(DAYS);
        JsonNode v = s.path("latest").path("values");
        assertThat(v.path("volume.rows").asDouble()).isEqualTo(PER_DAY);
        assertThat(v.path("drift.share").asDouble()).isEqualTo(1.0);
        assertThat(v.path("labels.coverage").asDouble()).isEqualTo(1.0);
        assertThat(v.path("labels.lag_hours").asDouble()).as("known_at is 48 h after each prediction").isEqualTo(48.0);
        long tp = accepted(3).stream().filter(x -> x.predicted().equals(Customers.POSITIVE) && x.customer().label().equals(Customers.POSITIVE)).count();
        long fp = accepted(3).stream().filter(x -> x.predicted().equals(Customers.POSITIVE) && !x.customer().label().equals(Customers.POSITIVE)).count();
        assertThat(v.path("realized.true_positives").asDouble()).isEqualTo(tp);
        assertThat(v.path("realized.false_positives").asDouble()).isEqualTo(fp);
        assertThat(v.path("estimated.precision.lower").asDouble()).isLessThanOrEqualTo(v.path("estimated.precision").asDouble());
        assertThat(s.path("firing")).extracting(f -> f.path("rule").asText()).containsExactly("input-drift");

        JsonNode alerts = json(monitor("alerts", DEPLOYMENT, "--json"));
        assertThat(alerts.path("events")).extracting(e -> e.path("rule").asText() + " " + e.path("state").asText() + " "
                + Instant.parse(e.path("window_start").asText())).containsExactly(
                "refused-requests FIRING " + day(1), "refused-requests RESOLVED " + day(2), "input-drift FIRING " + day(3));

        // Status again: nothing new in the log, nothing fires twice.
        assertThat(monitor("status", DEPLOYMENT).exitCode()).isZero();
        assertThat(json(monitor("alerts", DEPLOYMENT, "--json")).path("events")).hasSize(3);
        CliRunner.Result all = monitor("status");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).startsWith(DEPLOYMENT + "  (");
    }

    @Test
    @Order(4)
    @DisplayName("monitor report D --out DIR writes report.html (with SVG charts) and report.json; --from narrows the period")
    void reportWritesHtmlAndJson() throws Exception {
        Path out = dir.resolve("report");
        CliRunner.Result r = monitor("report", DEPLOYMENT, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Report of " + DEPLOYMENT + " (" + DAYS + " day windows): " + out.resolve("report.html").toAbsolutePath())
                .contains("JSON: " + out.resolve("report.json").toAbsolutePath());
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg").contains(DEPLOYMENT).contains("input-drift");
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.path("format").asText()).isEqualTo("cairn.monitoring-report/v1");
        assertThat(rows(report)).containsExactly(rowsSent(0), rowsSent(1), rowsSent(2), rowsSent(3));
        assertThat(report.path("firing")).extracting(JsonNode::asText).containsExactly("input-drift");

        Path part = dir.resolve("report-part");
        String from = LocalDate.ofInstant(day(2), ZoneOffset.UTC).toString();
        assertThat(monitor("report", DEPLOYMENT, "--out", part.toString(), "--from", from).exitCode()).isZero();
        assertThat(rows(JSON.readTree(part.resolve("report.json").toFile()))).containsExactly(rowsSent(2), rowsSent(3));
    }

    static List<Double> rows(JsonNode report) {
        List<Double> rows = new ArrayList<>();
        for (JsonNode w : report.path("windows")) rows.add(w.path("values").path("volume.rows").asDouble());
        return rows;
    }

    static double rowsSent(int k) {
        return accepted(k).size();
    }

    @Test
    @Order(5)
    @DisplayName("monitor backfill D --from DATE recomputes the windows from then on, counts no row twice and fires nothing again")
    void backfillRecomputes() throws Exception {
        String from = LocalDate.ofInstant(day(2), ZoneOffset.UTC).toString();
        CliRunner.Result r = monitor("backfill", DEPLOYMENT, "--from", from);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("Backfilled " + DEPLOYMENT + ": 2 day windows recomputed, 2 windows written from ")
                .endsWith("(" + (accepted(2).size() + accepted(3).size()) + " rows)");

        Path out = dir.resolve("report-after-backfill");
        assertThat(monitor("report", DEPLOYMENT, "--out", out.toString()).exitCode()).isZero();
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(rows(report)).containsExactly(rowsSent(0), rowsSent(1), rowsSent(2), rowsSent(3));
        JsonNode latest = report.path("windows").get(3).path("values");
        assertThat(latest.path("labels.coverage").asDouble()).as("labels join the recomputed window").isEqualTo(1.0);

        assertThat(monitor("status", DEPLOYMENT).exitCode()).isZero();
        assertThat(json(monitor("alerts", DEPLOYMENT, "--json")).path("events")).as("no alert fired again").hasSize(3);

        CliRunner.Result all = monitor("backfill", DEPLOYMENT);
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains("4 day windows recomputed").contains("(" + SENT.stream().filter(Sent::accepted).count() + " rows)");
    }

    @Test
    @Order(6)
    @DisplayName("bad input exits 2 with one line naming the option and the value")
    void badInputExitsTwoNamingTheOption() throws Exception {
        Path badYaml = dir.resolve("bad-rules.yaml");
        Files.writeString(badYaml, RULES.replace("\">=\"", ">="));
        String[][] cases = {
                {"--window", "fortnight", "report", DEPLOYMENT, "--window", "fortnight", "--out", dir.resolve("x").toString()},
                {"--window", "P400D", "backfill", DEPLOYMENT, "--window", "P400D"},
                {"--from", "notadate", "backfill", DEPLOYMENT, "--from", "notadate"},
                {"--to", "2026-13-45", "report", DEPLOYMENT, "--to", "2026-13-45", "--out", dir.resolve("x").toString()},
                {"--rules", "missing.yaml", "alerts", DEPLOYMENT, "--rules", dir.resolve("missing.yaml").toString()},
                {"comparison", ">=", "alerts", DEPLOYMENT, "--rules", badYaml.toString()},
                {"--limit", "0", "alerts", DEPLOYMENT, "--limit", "0"},
                {"deployment", "../etc", "status", "../etc"},
                {"deployment", "a/b", "alerts", "a/b"},
                {"id_column", "nosuch", "labels", DEPLOYMENT, "--input", dir.resolve("labels.csv").toString(), "--id-column", "nosuch",
                        "--label-column", "class"},
                {"join_on", "x;y", "labels", DEPLOYMENT, "--input", dir.resolve("labels.csv").toString(), "--id-column", "customer_id",
                        "--label-column", "class", "--join-on", "x;y"},
        };
        for (String[] c : cases) {
            CliRunner.Result r = monitor(Arrays.copyOfRange(c, 2, c.length));
            String what = String.join(" ", Arrays.copyOfRange(c, 2, c.length));
            assertThat(r.exitCode()).as(what + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(what).hasSize(1);
            assertThat(r.err()).as(what).startsWith("cairn: ").contains(c[0].startsWith("--") ? c[0].substring(2) : c[0]).contains(c[1]);
        }
        assertThat(servingHome.resolve("alerts").resolve(DEPLOYMENT + ".yaml")).as("a refused file installs nothing").hasContent(RULES);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    /**
     * Label times in the file are instants ({@code 2026-11-29T04:00:00Z}); the prediction log's times are UTC. Run on a
     * machine whose time zone is not UTC (a child JVM with {@code TZ=America/New_York}), the import must still store the
     * instant, so the label lag is the 24 hours between prediction and label, not 24 minus the zone's offset.
     */
    @Test
    @Order(7)
    @DisplayName("monitor labels on a machine in another time zone keeps label times as instants: the label lag is unchanged")
    void labelTimesAreInstantsWhateverTheMachinesTimeZone() throws Exception {
        StringBuilder csv = new StringBuilder("customer_id,class,known_at\n");
        for (Sent s : accepted(1)) {
            csv.append(s.customer().id()).append(',').append(s.customer().label()).append(',').append(s.time().plus(Duration.ofHours(24))).append('\n');
        }
        Path labels = dir.resolve("labels-day1.csv");
        Files.writeString(labels, csv);
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder child = new ProcessBuilder(javaCommand, "-Duser.home=" + System.getProperty("user.home"), "-cp", System.getProperty("java.class.path"),
                dev.cairn.cli.Main.class.getName(), "monitor", "labels", DEPLOYMENT, "--input", labels.toString(), "--id-column", "customer_id",
                "--label-column", "class", "--join-on", "customer_id", "--time-column", "known_at", "--serving-home", servingHome.toString(),
                "--store", store, "--artifacts", artifacts).redirectErrorStream(true);
        child.environment().put("TZ", "America/New_York");
        child.environment().put("CAIRN_HOME", dir.resolve("child-home").toString());
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Imported " + accepted(1).size() + " labels for " + DEPLOYMENT);

        Path out = dir.resolve("report-lag");
        assertThat(monitor("report", DEPLOYMENT, "--out", out.toString()).exitCode()).isZero();
        JsonNode day1 = JSON.readTree(out.resolve("report.json").toFile()).path("windows").get(1).path("values");
        assertThat(day1.path("labels.coverage").asDouble()).isEqualTo(1.0);
        assertThat(day1.path("labels.lag_hours").asDouble()).as("median hours from prediction to label").isEqualTo(24.0);
    }
}

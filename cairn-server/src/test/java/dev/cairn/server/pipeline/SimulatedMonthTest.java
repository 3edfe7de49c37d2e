package dev.cairn.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.example.MasterData;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.testing.MovableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month of nights on a real server (SQLite store, local artifacts, serving, monitoring, pipelines) on a simulated
 * clock, with the credit-risk example's master data and its shipped specs in the pipelines directory.
 */
class SimulatedMonthTest {
    static final String DEPLOYMENT = "credit-risk";
    static final String MODEL = "credit-risk";
    static final LocalDate START = LocalDate.of(2026, 1, 5);
    static final int NIGHTS = Integer.getInteger("month.nights", 30);
    static final int NEW_CUSTOMERS_PER_DAY = 10;
    static final int REQUESTS_PER_DAY = 60;
    /** The shop moves its sales online from the day before this night (see MasterData.switchDrift). */
    static final int DRIFT_NIGHT = 15;
    static final ObjectMapper JSON = new ObjectMapper();

    static final String RULES = """
            window: day
            rules:
              - name: input-drift
                metric: drift.share
                comparison: ">="
                threshold: 0.3
              - name: channel-drift
                description: the customers' share of online purchases drifted from the model's training data
                metric: drift.online_share_30d.drifted
                comparison: ">="
                threshold: 1
                # The weekly retrain follows a drift that goes on; the alert is for the change itself.
                cooldown: week
              - name: estimated-precision-low
                metric: estimated.precision
                comparison: "<"
                threshold: 0.5
            """;

    @TempDir
    Path dir;

    MovableClock clock;
    ServerMain.RunningServer server;
    ServerPipelines pipelines;
    PipelineStore runs;
    String masterUrl;
    MasterData shop;
    LiveTraffic traffic;
    final Set<Integer> labelled = new HashSet<>();
    final List<AlertEvent> alerts = java.util.Collections.synchronizedList(new ArrayList<>());
    int requestSeq;

    @Test
    void aMonthOfNights() throws Exception {
        long t0 = System.nanoTime();
        System.out.println("start " + ms(t0));
        Path pipelinesDir = Files.createDirectories(dir.resolve("pipelines"));
        for (String f : List.of("nightly.yaml", "retrain.yaml", "schema.yaml", "space.yaml")) {
            try (InputStream in = MasterData.class.getResourceAsStream(f)) {
                Files.write(pipelinesDir.resolve(f), in.readAllBytes());
            }
        }
        masterUrl = "jdbc:sqlite:" + pipelinesDir.resolve("master.db");
        shop = MasterData.create(masterUrl, MasterData.Settings.of(42, START).withHistoryDays(90));
        System.out.println("master data " + ms(t0));
        clock = new MovableClock(START.atStartOfDay(ZoneOffset.UTC).toInstant());
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0, pipelinesDir.toString(), List.of(), false);
        server = ServerMain.start(options, clock, false);
        try {
            pipelines = server.pipelines();
            runs = pipelines.store();
            server.monitoring().events().subscribe(e -> true, alerts::add);
            server.monitoring().installRules(DEPLOYMENT, RULES);
            traffic = new LiveTraffic(server.url(), DEPLOYMENT);
            // Arms the schedules and takes the data trigger's first look before the first night.
            pipelines.scheduler().tick();
            System.out.println("setup " + ms(t0));
            for (int night = 1; night <= NIGHTS; night++) {
                night(night);
                System.out.println("night " + night + " done " + ms(t0));
            }
            assertLineageOfAScore();
            assertTheDriftAlertRetrainedAndOneCanaryRolledBack();
        } finally {
            server.close();
        }
    }

    /**
     * For a customer's score, the lineage answers which model version produced it, which run registered that
     * version, which data snapshot that run read (and trained on), and who pointed the champion alias at it.
     */
    void assertLineageOfAScore() throws SQLException {
        List<Map<String, Object>> scored = rows("SELECT customer_id, model_version FROM customer_scores ORDER BY customer_id LIMIT 1");
        String version = String.valueOf(scored.getFirst().get("model_version"));
        String uri = "models:/" + MODEL + "/" + version;
        List<dev.cairn.core.pipeline.LineageEdge> edges = runs.lineageOfArtifact(uri, 1000);
        assertThat(edges).as("the nightly's score step read the version").anySatisfy(e -> {
            assertThat(e.stepId()).isEqualTo("score");
            assertThat(e.direction()).isEqualTo(dev.cairn.core.pipeline.LineageEdge.Direction.INPUT);
        });
        dev.cairn.core.pipeline.LineageEdge registered = edges.stream()
                .filter(e -> e.stepId().equals("register") && e.direction() == dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT)
                .findFirst().orElseThrow(() -> new AssertionError("no run registered " + uri + ": " + edges));
        List<dev.cairn.core.pipeline.LineageEdge> ofRetrain = runs.lineageOfRun(registered.runId());
        assertThat(ofRetrain).as("the registering run read a snapshot").anySatisfy(e -> {
            assertThat(e.stepId()).isEqualTo("read");
            assertThat(e.kind()).isEqualTo("snapshot");
            assertThat(e.uri()).startsWith("snapshot:");
        });
        assertThat(ofRetrain).as("and tuned on it").anySatisfy(e -> {
            assertThat(e.stepId()).isEqualTo("tune");
            assertThat(e.kind()).isEqualTo("model");
        });
        var audit = server.store().registry().listAuditEvents(MODEL, 1000, null).items();
        assertThat(audit).as("someone pointed the champion at it").anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(dev.cairn.core.registry.AuditAction.ALIAS_SET);
            assertThat(e.version()).isEqualTo(Long.parseLong(version));
            assertThat(e.actor()).isNotBlank();
        });
    }

    /**
     * The drift injected on {@link #DRIFT_NIGHT} is what raises the alert (no alert fired before it): the channel-drift
     * rule, on the window whose online share of purchases drifted. The retrain it started ships a new champion through
     * the canary, which the next nightly scores with. And one canary of the month is rolled back: its candidate never
     * becomes champion, and the deployment's audit names the run.
     */
    void assertTheDriftAlertRetrainedAndOneCanaryRolledBack() throws Exception {
        Instant driftDay = START.plusDays(DRIFT_NIGHT - 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<AlertEvent> firing = alerts.stream().filter(AlertEvent::firing).toList();
        assertThat(firing).as("alerts fired").isNotEmpty();
        assertThat(firing).as("no alert before the drift").allSatisfy(a -> assertThat(a.windowStart()).isAfterOrEqualTo(driftDay));
        AlertEvent first = firing.getFirst();
        assertThat(first.rule()).isEqualTo("channel-drift");
        List<String> drifted = driftedFeatures(dayWindow(first.windowStart()));
        System.out.println("first alert " + first.rule() + " in window " + first.windowStart() + ": drifted " + drifted);
        assertThat(drifted).contains("online_share_30d");

        List<PipelineRun> retrains = runs.listRuns("retrain", null, 1000, null).items().reversed();
        PipelineRun byAlert = retrains.stream().filter(r -> r.trigger().equals("alert")).findFirst()
                .orElseThrow(() -> new AssertionError("no retrain started by an alert"));
        assertThat(byAlert.cause()).contains("channel-drift");
        assertThat(byAlert.state()).isEqualTo(PipelineRunState.SUCCEEDED);
        Map<String, StepRun> steps = new LinkedHashMap<>();
        for (StepRun step : runs.steps(byAlert.runId())) steps.put(step.stepId(), step);
        assertThat(outputs(steps.get("canary")).path("promoted").asBoolean()).as("the alert's candidate was promoted by its canary").isTrue();
        assertThat(steps.get("promote").state()).isEqualTo(dev.cairn.core.pipeline.StepState.SUCCEEDED);
        String version = outputs(steps.get("register")).path("version").asText();
        // Night n is START + n: the alert fired at the night's refresh, before its nightly, which scored with the new champion.
        int night = (int) java.time.temporal.ChronoUnit.DAYS.between(START, LocalDate.ofInstant(byAlert.logicalTime(), ZoneOffset.UTC));
        assertThat(night).isGreaterThan(DRIFT_NIGHT);
        assertThat(scoredBy.get(night - 1)).as("the nightly before the alert scored with the old champion").isNotEqualTo(version);
        assertThat(scoredBy.get(night)).as("the nightly after the alert's retrain scores with its champion").isEqualTo(version);

        List<PipelineRun> rolledBack = new ArrayList<>();
        for (PipelineRun r : retrains) {
            for (StepRun step : runs.steps(r.runId())) {
                if (step.stepId().equals("canary") && step.outputsJson() != null && outputs(step).path("verdict").asText().equals("rolled_back")) {
                    rolledBack.add(r);
                }
            }
        }
        assertThat(rolledBack).as("one canary rolled back").hasSize(1);
        PipelineRun back = rolledBack.getFirst();
        StepRun register = runs.steps(back.runId()).stream().filter(x -> x.stepId().equals("register")).findFirst().orElseThrow();
        long candidate = outputs(register).path("version").asLong();
        // The weekly slot (03:00 in Berlin) comes after the night's nightly: the next night still scores with the champion.
        int backNight = (int) java.time.temporal.ChronoUnit.DAYS.between(START, LocalDate.ofInstant(back.logicalTime(), ZoneOffset.UTC));
        assertThat(scoredBy.get(backNight + 1)).as("the champion stays").isEqualTo(scoredBy.get(backNight))
                .isNotEqualTo(Long.toString(candidate));
        var audit = server.store().registry().listAuditEvents(MODEL, 1000, null).items();
        assertThat(audit).as("the rolled-back candidate never became champion")
                .noneMatch(e -> e.action() == dev.cairn.core.registry.AuditAction.ALIAS_SET && Long.valueOf(candidate).equals(e.version()));
        assertThat(runs.lineageOfRun(back.runId())).as("the rolled-back run's lineage names the candidate its canary watched")
                .anySatisfy(e -> {
                    assertThat(e.stepId()).isEqualTo("canary");
                    assertThat(e.direction()).isEqualTo(dev.cairn.core.pipeline.LineageEdge.Direction.INPUT);
                    assertThat(e.uri()).isEqualTo("models:/" + MODEL + "/" + candidate);
                });
        assertThat(audit).as("the deployment's audit names the rollback and its run").anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(dev.cairn.core.registry.AuditAction.ROLLBACK);
            assertThat(e.comment()).contains(back.runId()).contains("models:/" + MODEL + "/" + candidate);
        });
    }

    static com.fasterxml.jackson.databind.JsonNode outputs(StepRun step) throws IOException {
        return JSON.readTree(step.outputsJson() == null ? "{}" : step.outputsJson());
    }

    /** The day window starting at {@code start}, of the version that scored the most rows in it (as alerts see it). */
    dev.cairn.monitor.WindowMetrics dayWindow(Instant start) {
        return server.monitoring().windows(DEPLOYMENT, dev.cairn.monitor.window.WindowSize.parse("day"), start, start.plus(Duration.ofDays(1)), null)
                .stream().map(Monitoring.WindowResult::metrics).filter(w -> w.start().equals(start))
                .max(java.util.Comparator.comparingDouble(w -> w.values().getOrDefault("rows", 0.0))).orElse(null);
    }

    /** The features whose drift test flagged the window. */
    static List<String> driftedFeatures(dev.cairn.monitor.WindowMetrics w) {
        return w.values().entrySet().stream().filter(e -> e.getKey().startsWith("drift.") && e.getKey().endsWith(".drifted") && e.getValue() > 0)
                .map(e -> e.getKey().substring("drift.".length(), e.getKey().length() - ".drifted".length())).sorted().toList();
    }

    static String ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000 + " ms";
    }

    /** Night n: the early hours of START + n, the data as of the day before. */
    void night(int n) throws Exception {
        LocalDate date = START.plusDays(n);
        Instant midnight = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        if (n == DRIFT_NIGHT) shop.switchDrift(date.minusDays(1));
        clock.atLeast(midnight.plus(Duration.ofMinutes(10)));
        long p0 = System.nanoTime();
        MasterData.Advance advance = shop.advanceDay(date.minusDays(1));
        long p1 = System.nanoTime();
        postLabels();
        long p2 = System.nanoTime();
        clock.atLeast(midnight.plus(Duration.ofMinutes(30)));
        server.serving().log().flush();
        Monitoring.Refresh refresh = server.monitoring().refresh(DEPLOYMENT, dev.cairn.data.source.Progress.NONE);
        long p3 = System.nanoTime();
        Instant dayBefore = midnight.minus(Duration.ofDays(1));
        var latest = dayWindow(dayBefore);
        if (latest != null) {
            System.out.println("  window " + latest.start() + " drift.share " + latest.values().get("drift.share") + " est.precision "
                    + latest.values().get("estimated.precision") + " realized " + latest.values().get("realized.precision")
                    + " drifted " + driftedFeatures(latest));
        }
        for (AlertEvent t : refresh.transitions()) System.out.println("  alert " + t.state() + " " + t.rule() + " " + t.value());
        if (n == 1) {
            PipelineDefinition retrain = runs.getPipeline("retrain").orElseThrow();
            pipelines.start(retrain, new RunRequest("manual", "the first model", Map.of(), null, null, "alice", null));
        }
        settle();
        if (n == 1) {
            // No champion yet: the first run released its model at once, as champion, deployed.
            PipelineRun first = runs.listRuns("retrain", null, 10, null).items().getFirst();
            assertThat(first.state()).isEqualTo(PipelineRunState.SUCCEEDED);
            assertThat(runs.steps(first.runId())).filteredOn(s -> List.of("first-release", "first-deploy", "canary").contains(s.stepId()))
                    .extracting(s -> s.stepId() + "=" + s.state())
                    .containsExactlyInAnyOrder("first-release=SUCCEEDED", "first-deploy=SUCCEEDED", "canary=SKIPPED");
            assertThat(champion()).isEqualTo("1");
        }
        clock.atLeast(midnight.plus(Duration.ofHours(1)));
        long p4 = System.nanoTime();
        var tick = pipelines.scheduler().tick();
        System.out.println("  tick fired " + tick.fired().stream().map(r -> r.pipeline() + "/" + r.trigger()).toList());
        settle();
        long p5 = System.nanoTime();
        // Every customer scored with the champion of the night, scored_at the night's slot (02:00 in Berlin).
        String championAtNight = champion();
        scoredBy.put(n, championAtNight);
        long scoredCustomers = ((Number) rows("SELECT count(*) AS n FROM customer_features").getFirst().get("n")).longValue();
        assertThat(rows("SELECT model_version, scored_at, count(*) AS n FROM customer_scores GROUP BY 1, 2"))
                .singleElement().satisfies(r -> {
                    assertThat(String.valueOf(r.get("model_version"))).isEqualTo(championAtNight);
                    assertThat(String.valueOf(r.get("scored_at"))).isEqualTo(midnight.plus(Duration.ofHours(1)).toString());
                    assertThat(((Number) r.get("n")).longValue()).isEqualTo(scoredCustomers);
                });
        // 03:00 in Berlin: the weekly retrain's slot on Sundays (catch_up none: a tick within a minute of it fires it).
        clock.atLeast(midnight.plus(Duration.ofMinutes(120)));
        tick = pipelines.scheduler().tick();
        System.out.println("  tick fired " + tick.fired().stream().map(r -> r.pipeline() + "/" + r.trigger()).toList());
        settle();
        long p6 = System.nanoTime();
        report(n);
        // The day: customers register, and the shop's application asks for scores.
        Instant morning = midnight.plus(Duration.ofHours(9));
        clock.atLeast(morning);
        shop.addCustomers(date, NEW_CUSTOMERS_PER_DAY);
        if (server.serving().deployments().find(DEPLOYMENT) != null) {
            List<Map<String, Object>> customers = rows("SELECT * FROM customer_features ORDER BY customer_id");
            SplittableRandom r = new SplittableRandom(n);
            for (int i = 0; i < REQUESTS_PER_DAY; i++) {
                Map<String, Object> c = customers.get(r.nextInt(customers.size()));
                traffic.predict(c, morning.plus(Duration.ofMinutes(5L * i)), "day" + n + "-" + i);
            }
        }
        // Where a night's time goes (real ms), to see what a slow month spends it on.
        System.out.println("  ms: master data " + (p1 - p0) / 1_000_000 + ", labels " + (p2 - p1) / 1_000_000 + ", monitoring "
                + (p3 - p2) / 1_000_000 + ", alert retrains " + (p4 - p3) / 1_000_000 + ", nightly " + (p5 - p4) / 1_000_000 + ", 03:00 (retrain) " + (p6 - p5) / 1_000_000
                + ", day " + (System.nanoTime() - p6) / 1_000_000);
    }

    void report(int n) throws SQLException {
        List<PipelineRun> all = runs.listRuns(null, null, 1000, null).items();
        for (PipelineRun run : all) {
            if (run.endedAt() == null || reported.contains(run.runId())) continue;
            reported.add(run.runId());
            StringBuilder steps = new StringBuilder();
            for (StepRun s : runs.steps(run.runId())) steps.append(s.stepId()).append('=').append(s.state())
                    .append(s.startedAt() == null || s.endedAt() == null ? "" : "/" + Duration.between(s.startedAt(), s.endedAt()).toMillis()).append(' ');
            System.out.println("  run " + run.pipeline() + " " + run.trigger() + " " + run.state() + " (" + run.cause() + ") " + steps
                    + (run.message() == null ? "" : run.message()));
        }
        List<Map<String, Object>> scores = rows("SELECT model_version, scored_at, count(*) AS n FROM customer_scores GROUP BY 1, 2");
        System.out.println("  scores " + scores + " champion " + champion());
    }

    final Set<String> reported = new HashSet<>();
    /** The version that scored customer_scores, by night. */
    final Map<Integer, String> scoredBy = new java.util.TreeMap<>();

    String champion() {
        try {
            return Long.toString(server.store().registry().getModelVersionByAlias(MODEL, "champion").version());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Waits until no run is queued or running; while a canary holds traffic, feeds it and moves the clock past its windows. */
    void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String window = null;
        int candidateAnswers = 0;
        boolean moved = false;
        while (true) {
            assertThat(System.nanoTime()).as("runs settle").isLessThan(deadline);
            if (runs.listRuns(null, Set.of(PipelineRunState.QUEUED, PipelineRunState.RUNNING), 10, null).items().isEmpty()) return;
            Deployment d = server.serving().deployments().find(DEPLOYMENT);
            Deployment.Route canary = d == null ? null : d.routes().stream().skip(1).filter(r -> r.weight() > 0).findFirst().orElse(null);
            if (canary == null) {
                Thread.sleep(5);
                continue;
            }
            String key = canary.target() + "=" + canary.weight();
            if (!key.equals(window)) {
                window = key;
                candidateAnswers = 0;
                moved = false;
            }
            if (moved) {
                Thread.sleep(5);
                continue;
            }
            long c0 = System.nanoTime();
            List<Map<String, Object>> everyone = canaryCustomers();
            SplittableRandom pick = new SplittableRandom(key.hashCode());
            int sent = 0;
            for (int i = 0; candidateAnswers < 120; i++) {
                Map<String, Object> c = everyone.get(pick.nextInt(everyone.size()));
                sent++;
                LiveTraffic.Answer a = traffic.predict(c, clock.instant(), "canary-" + (requestSeq++));
                if (a.version().equals(canary.model().version())) candidateAnswers++;
            }
            System.out.println("  canary " + key + " sent " + sent + " in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
            clock.advance(Duration.ofMinutes(61));
            moved = true;
        }
    }

    /**
     * Who the shop's application asks about while a canary runs: any customer, drawn with a seed per canary window. (Not
     * only the newest: their application attributes differ from the portfolio's, so a canary's traffic alone would look
     * like drift and raise the alert the shop's own drift is meant to.)
     */
    List<Map<String, Object>> canaryCustomers() {
        try {
            return rows("SELECT * FROM customer_features ORDER BY customer_id");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    void postLabels() throws SQLException {
        List<Monitoring.Label> labels = new ArrayList<>();
        for (Map<String, Object> row : rows("SELECT customer_id, class FROM customers WHERE class IS NOT NULL")) {
            int id = ((Number) row.get("customer_id")).intValue();
            if (labelled.add(id)) labels.add(new Monitoring.Label(Integer.toString(id), (String) row.get("class"), clock.instant()));
        }
        if (!labels.isEmpty()) server.monitoring().postLabels(DEPLOYMENT, labels, "customer_id");
    }

    List<Map<String, Object>> rows(String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(masterUrl); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), r.getObject(i));
                out.add(row);
            }
        }
        return out;
    }
}

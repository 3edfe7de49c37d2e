package dev.cairn.pipeline.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.pipeline.scheduler.PipelineScheduler;
import dev.cairn.pipeline.scheduler.SpecDirectory;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler with the real store: exactly-once firing across servers and restarts, catch-up, data and alert triggers. */
class PipelineSchedulerTest {
    private static final String NIGHTLY = """
            name: nightly
            triggers:
              - schedule: {cron: "0 2 * * *", timezone: UTC, catch_up: %s}
            steps:
              - id: score
                type: notify
                with: {message: "night of ${run.date}"}
            """;

    @TempDir Path dir;
    EngineFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new EngineFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void register(String yaml) throws Exception {
        PipelineSpec spec = f.spec(yaml);
        f.metadata.pipelines().putPipeline(spec.name(), spec.text(), spec.sha256(), spec.source(), "ops");
    }

    /** A scheduler that runs what it fires in the ticking thread, so a tick returns with its runs ended. */
    private PipelineScheduler scheduler(String owner) {
        return new PipelineScheduler(f.engine(owner), Runnable::run, RunListener.NONE);
    }

    private List<PipelineRun> runs(String pipeline) {
        return f.metadata.pipelines().listRuns(pipeline, Set.of(), 100, null).items();
    }

    @Test
    void aScheduledSlotRunsOnceAcrossServersAndRestarts() throws Exception {
        register(NIGHTLY.formatted("latest"));
        PipelineScheduler a = scheduler("server-a");
        PipelineScheduler b = scheduler("server-b");
        a.tick(); // 01:00: armed, nothing due
        assertThat(runs("nightly")).isEmpty();

        f.clock.set(Instant.parse("2026-11-02T02:00:20Z"));
        PipelineScheduler.Tick fromA = a.tick();
        PipelineScheduler.Tick fromB = b.tick();
        assertThat(fromA.leader()).isTrue();
        assertThat(fromB.leader()).as("the lease is server-a's").isFalse();
        assertThat(runs("nightly")).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(PipelineRunState.SUCCEEDED);
            assertThat(r.trigger()).isEqualTo("schedule");
            assertThat(r.logicalTime()).isEqualTo(Instant.parse("2026-11-02T02:00:00Z"));
        });

        // server-a dies; its lease expires; server-b leads but the slot has run.
        a.close();
        f.clock.advance(PipelineScheduler.LEASE_TTL.plusSeconds(1));
        assertThat(b.tick().leader()).isTrue();
        // server-a restarts.
        PipelineScheduler restarted = scheduler("server-a");
        restarted.tick();
        assertThat(runs("nightly")).hasSize(1);

        // Even a second firing of the same slot (two leaders for a moment) creates no second run: the fire key is unique.
        assertThat(f.engine("x").submit(f.spec(NIGHTLY.formatted("latest")), new RunRequest("schedule", "again", java.util.Map.of(),
                Instant.parse("2026-11-02T02:00:00Z"), null, "s", "schedule:0 2 * * *@UTC:2026-11-02T02:00:00Z"))).isEmpty();

        f.clock.set(Instant.parse("2026-11-03T02:00:05Z"));
        b.tick();
        assertThat(runs("nightly")).hasSize(2);
    }

    @Test
    void missedNightsFollowTheCatchUpPolicy() throws Exception {
        register(NIGHTLY.formatted("all"));
        register(NIGHTLY.formatted("latest").replace("name: nightly", "name: latest"));
        register(NIGHTLY.formatted("none").replace("name: nightly", "name: none"));
        PipelineScheduler s = scheduler("server");
        s.tick();
        // Down for three nights; back at 09:00 on the 5th.
        f.clock.set(Instant.parse("2026-11-05T09:00:00Z"));
        scheduler("server-after-restart").tick();

        assertThat(runs("nightly")).extracting(PipelineRun::logicalTime).containsExactlyInAnyOrder(
                Instant.parse("2026-11-02T02:00:00Z"), Instant.parse("2026-11-03T02:00:00Z"),
                Instant.parse("2026-11-04T02:00:00Z"), Instant.parse("2026-11-05T02:00:00Z"));
        assertThat(runs("latest")).extracting(PipelineRun::logicalTime).containsExactly(Instant.parse("2026-11-05T02:00:00Z"));
        assertThat(runs("none")).isEmpty();
    }

    @Test
    void aDataTriggersOwnFingerprintFiresOnceWhenEnoughNewDataArrived() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("work/shop.db");
        sql(url, "CREATE TABLE customers (id INTEGER, class TEXT)");
        for (int i = 0; i < 8; i++) sql(url, "INSERT INTO customers VALUES (" + i + ", 'good')");
        register("""
                name: retrain
                triggers:
                  - data: {source: read, poll: 5m, fingerprint: "SELECT count(class) / 5 AS labelled_fives FROM customers"}
                steps:
                  - id: read
                    type: read
                    with:
                      source: jdbc:sqlite:shop.db
                      query: SELECT * FROM customers WHERE class IS NOT NULL
                      fingerprint: SELECT count(*), count(class) FROM customers
                """);
        PipelineScheduler s = scheduler("server");
        s.tick();
        assertThat(runs("retrain")).as("the first look is the baseline").isEmpty();

        // Every new label changes the step's fingerprint, but the trigger waits for five more.
        sql(url, "INSERT INTO customers VALUES (8, 'bad')");
        f.clock.advance(Duration.ofMinutes(6));
        s.tick();
        assertThat(runs("retrain")).as("9 labels: still one five").isEmpty();
        sql(url, "INSERT INTO customers VALUES (9, 'good')");
        f.clock.advance(Duration.ofMinutes(6));
        s.tick();
        assertThat(runs("retrain")).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo("data");
            assertThat(r.cause()).contains("labelled_fives=2");
        });
        // Unchanged since: neither this scheduler nor another fires it again.
        f.clock.advance(Duration.ofMinutes(6));
        s.tick();
        scheduler("other").tick();
        sql(url, "INSERT INTO customers VALUES (10, 'good')");
        f.clock.advance(Duration.ofMinutes(6));
        s.tick();
        assertThat(runs("retrain")).hasSize(1);
    }

    private static void sql(String url, String statement) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void newDataFiresOnceAndUnchangedDataDoesNot() throws Exception {
        Files.writeString(dir.resolve("work/sales.csv"), "id,amount\n1,10\n");
        register("""
                name: retrain
                triggers:
                  - data: {source: read, poll: 5m}
                steps:
                  - id: read
                    type: read
                    with: {source: sales.csv}
                """);
        PipelineScheduler s = scheduler("server");
        s.tick();
        assertThat(runs("retrain")).as("the first look is the baseline").isEmpty();

        f.clock.advance(Duration.ofMinutes(6));
        s.tick();
        assertThat(runs("retrain")).isEmpty();

        Files.writeString(dir.resolve("work/sales.csv"), "id,amount\n1,10\n2,30\n");
        f.clock.advance(Duration.ofMinutes(1));
        s.tick();
        assertThat(runs("retrain")).as("not before the poll interval").isEmpty();
        f.clock.advance(Duration.ofMinutes(5));
        s.tick();
        assertThat(runs("retrain")).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo("data");
            assertThat(r.cause()).contains("read").contains("changed");
        });
        f.clock.advance(Duration.ofMinutes(6));
        scheduler("other").tick();
        assertThat(runs("retrain")).hasSize(1);
    }

    @Test
    void anAlertStartsTheMatchingPipelinesOncePerEpisodeUnlessPaused() throws Exception {
        register("""
                name: retrain
                triggers:
                  - alert: {deployment: credit-risk, rules: [input-drift]}
                steps:
                  - id: tell
                    type: notify
                    with: {message: "retraining: ${run.trigger}"}
                """);
        PipelineScheduler s = scheduler("server");
        assertThat(s.onAlert("credit-risk", "refused-requests", "e1", "refusals")).isEmpty();
        assertThat(s.onAlert("other", "input-drift", "e1", "drift")).isEmpty();
        assertThat(s.onAlert("credit-risk", "input-drift", "e1", "drift share 0.4")).hasSize(1);
        assertThat(s.onAlert("credit-risk", "input-drift", "e1", "drift share 0.4")).as("same episode").isEmpty();
        assertThat(runs("retrain")).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo("alert");
            assertThat(r.cause()).contains("input-drift").contains("credit-risk").contains("drift share 0.4");
            assertThat(r.state()).isEqualTo(PipelineRunState.SUCCEEDED);
        });

        f.metadata.pipelines().setPaused("retrain", true, "ops");
        assertThat(s.onAlert("credit-risk", "input-drift", "e2", "again")).isEmpty();
    }

    @Test
    void theDirectoryRegistersValidSpecsReportsInvalidOnesAndForgetsDeletedOnes() throws Exception {
        Path specs = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(specs.resolve("nightly.yaml"), NIGHTLY.formatted("latest"));
        Files.createDirectories(specs.resolve("retrain"));
        Files.writeString(specs.resolve("retrain/pipeline.yaml"), NIGHTLY.formatted("none").replace("name: nightly", "name: retrain"));
        Files.writeString(specs.resolve("broken.yaml"), "name: broken\nsteps:\n  - id: a\n    type: trian\n");
        Files.writeString(specs.resolve("schema.yaml"), "columns:\n  age: {type: integer}\n"); // a file a spec names: no spec
        SpecDirectory directory = new SpecDirectory(specs);

        SpecDirectory.Result result = directory.sync(f.metadata.pipelines(), "ops");
        assertThat(result.registered()).extracting(d -> d.name()).containsExactlyInAnyOrder("nightly", "retrain");
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("line 4").contains("trian"));

        Files.delete(specs.resolve("nightly.yaml"));
        assertThat(directory.sync(f.metadata.pipelines(), "ops").removed()).containsExactly("nightly");
        assertThat(f.metadata.pipelines().getPipeline("nightly")).isEmpty();
        assertThat(f.metadata.pipelines().getPipeline("retrain")).isPresent();
    }
}

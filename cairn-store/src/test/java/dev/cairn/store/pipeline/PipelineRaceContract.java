package dev.cairn.store.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.store.Stores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The decisions several servers race for, raced: {@value #THREADS} threads released together, half of them on a
 * second store opened on the same database (as a second server would be), each going through the work in its own
 * seeded order. What is asserted is the outcome (one winner, no lost update), never how long anything took.
 */
abstract class PipelineRaceContract extends PipelineContractSupport {

    private static final int THREADS = 16;
    private static final long SEED = 20261201L;

    private MetadataStore second;

    @BeforeEach
    void openSecondStore() {
        second = Stores.openMetadata(storeUri, ARTIFACT_ROOT);
    }

    @AfterEach
    void closeSecondStore() {
        if (second != null) second.close();
    }

    /** The store thread {@code thread} uses: the even ones the test's, the odd ones the second. */
    private PipelineStore storeOf(int thread) {
        return thread % 2 == 0 ? store.pipelines() : second.pipelines();
    }

    private static <T> List<T> shuffled(List<T> items, int thread) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, new Random(SEED + thread));
        return copy;
    }

    private static <T> List<T> raceThreads(IntFunction<Callable<T>> task) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) tasks.add(task.apply(t));
        return race(tasks);
    }

    @Test
    @DisplayName("every thread creating the run of every fire key creates exactly one run per key, registered or not")
    void createRunOnceRace() throws Exception {
        register("nightly", 1);
        String adHoc = spec("adhoc", 1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) keys.add("schedule:0:2026-12-" + (10 + i) + "T02:00:00Z");
        List<Map<String, String>> won = raceThreads(thread -> () -> {
            Map<String, String> runs = new HashMap<>();
            for (String key : shuffled(keys, thread)) {
                // Half the keys on a registered pipeline, half on a spec file run with its text.
                boolean registered = keys.indexOf(key) % 2 == 0;
                PipelineRun run = PipelineRun.queued(registered ? "nightly" : "adhoc", registered ? sha(spec("nightly", 1)) : sha(adHoc),
                        "schedule", key, Map.of(), null, T0, null, "t" + thread);
                Optional<PipelineRun> created = storeOf(thread).createRunOnce(run, registered ? null : adHoc, key);
                created.ifPresent(r -> runs.put(key, r.runId()));
            }
            return runs;
        });
        Map<String, Integer> winners = new HashMap<>();
        Map<String, String> runIdOfKey = new HashMap<>();
        for (Map<String, String> runs : won) {
            runs.forEach((key, runId) -> {
                winners.merge(key, 1, Integer::sum);
                runIdOfKey.put(key, runId);
            });
        }
        assertThat(winners).hasSize(keys.size()).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        List<PipelineRun> stored = pipelines().listRuns(null, Set.of(), 100, null).items();
        assertThat(stored).hasSize(keys.size());
        assertThat(stored).extracting(PipelineRun::cause).containsExactlyInAnyOrderElementsOf(keys);
        for (PipelineRun run : stored) assertThat(runIdOfKey.get(run.cause())).isEqualTo(run.runId());
    }

    @Test
    @DisplayName("claimers racing for 12 queued runs with a limit of 3 take exactly 3 per round, each run once")
    void claimRace() throws Exception {
        register("limited", 1);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 12; i++) runIds.add(pipelines().createRun(queued("limited", T0.plusSeconds(i)), null).runId());
        Set<String> claimedBefore = new HashSet<>();
        for (int round = 1; round <= 4; round++) {
            Instant now = T0.plusSeconds(100L * round);
            int seedShift = round * THREADS;
            List<List<String>> won = raceThreads(thread -> () -> {
                List<String> mine = new ArrayList<>();
                for (String runId : shuffled(runIds, thread + seedShift)) {
                    if (storeOf(thread).claimRun(runId, "owner-" + thread, 3, now)) mine.add(runId);
                }
                return mine;
            });
            List<String> claimed = won.stream().flatMap(List::stream).toList();
            assertThat(claimed).as("round %d", round).hasSize(3).doesNotHaveDuplicates();
            assertThat(Collections.disjoint(claimed, claimedBefore)).as("claimed in an earlier round").isTrue();
            for (int thread = 0; thread < THREADS; thread++) {
                for (String runId : won.get(thread)) assertThat(pipelines().getRun(runId).owner()).isEqualTo("owner-" + thread);
            }
            assertThat(pipelines().listRuns("limited", Set.of(PipelineRunState.RUNNING), 100, null).items())
                    .extracting(PipelineRun::runId).containsExactlyInAnyOrderElementsOf(claimed);
            assertThat(pipelines().listRuns("limited", Set.of(PipelineRunState.QUEUED), 100, null).items()).hasSize(12 - 3 * round);
            claimedBefore.addAll(claimed);
            for (String runId : claimed) pipelines().finishRun(runId, PipelineRunState.SUCCEEDED, null, now);
        }
    }

    @Test
    @DisplayName("adopters racing for orphaned runs take each run exactly once")
    void adoptRace() throws Exception {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) runIds.add(runningRun("nightly", "dead-server", T0).runId());
        Instant deadline = T0.plusSeconds(60);
        Instant now = T0.plusSeconds(120);
        List<List<String>> won = raceThreads(thread -> () -> {
            List<String> mine = new ArrayList<>();
            for (String runId : shuffled(runIds, thread)) {
                if (storeOf(thread).adoptRun(runId, "adopter-" + thread, deadline, now)) mine.add(runId);
            }
            return mine;
        });
        assertThat(won.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(runIds);
        for (int thread = 0; thread < THREADS; thread++) {
            for (String runId : won.get(thread)) {
                PipelineRun run = pipelines().getRun(runId);
                assertThat(run.owner()).isEqualTo("adopter-" + thread);
                assertThat(run.heartbeatAt()).isEqualTo(now);
            }
        }
        assertThat(pipelines().orphanedRuns(deadline)).isEmpty();
    }

    @Test
    @DisplayName("compare-and-set of trigger state: one first writer, and a counter incremented by every thread loses nothing")
    void triggerStateRace() throws Exception {
        register("nightly", 1);
        List<Boolean> first = raceThreads(thread -> () ->
                storeOf(thread).compareAndSetTriggerState("nightly", "fingerprint", null, "seen-by-" + thread, T0));
        assertThat(first.stream().filter(b -> b).count()).isEqualTo(1);
        int winner = first.indexOf(true);
        assertThat(pipelines().triggerState("nightly", "fingerprint")).contains("seen-by-" + winner);

        assertThat(pipelines().compareAndSetTriggerState("nightly", "counter", null, "0", T0)).isTrue();
        int perThread = 5;
        List<Integer> attempts = raceThreads(thread -> () -> {
            PipelineStore target = storeOf(thread);
            int tries = 0;
            for (int done = 0; done < perThread; ) {
                tries++;
                String current = target.triggerState("nightly", "counter").orElseThrow();
                String next = Integer.toString(Integer.parseInt(current) + 1);
                if (target.compareAndSetTriggerState("nightly", "counter", current, next, T0)) done++;
            }
            return tries;
        });
        assertThat(pipelines().triggerState("nightly", "counter")).contains(Integer.toString(THREADS * perThread));
        assertThat(attempts).allSatisfy(tries -> assertThat(tries).isGreaterThanOrEqualTo(perThread));
    }

    @Test
    @DisplayName("threads racing for a lease: exactly one holds it, and after it expires exactly one takes it over")
    void leaseRace() throws Exception {
        Duration ttl = Duration.ofSeconds(30);
        List<Boolean> first = raceThreads(thread -> () -> storeOf(thread).acquireLease("scheduler", "server-" + thread, ttl, T0));
        assertThat(first.stream().filter(b -> b).count()).isEqualTo(1);
        int holder = first.indexOf(true);

        List<Boolean> whileHeld = raceThreads(thread -> () ->
                storeOf(thread).acquireLease("scheduler", "server-" + thread, ttl, T0.plusSeconds(10)));
        for (int thread = 0; thread < THREADS; thread++) {
            assertThat(whileHeld.get(thread)).as("server-%d", thread).isEqualTo(thread == holder);
        }

        Instant expired = T0.plusSeconds(40); // renewed at +10 until +40
        List<Boolean> after = raceThreads(thread -> () -> storeOf(thread).acquireLease("scheduler", "server-" + thread, ttl, expired));
        assertThat(after.stream().filter(b -> b).count()).isEqualTo(1);
        int next = after.indexOf(true);
        assertThat(pipelines().acquireLease("scheduler", "server-" + next, ttl, expired.plusSeconds(1))).isTrue();
        assertThat(pipelines().acquireLease("scheduler", "server-" + (next + 1) % THREADS, ttl, expired.plusSeconds(1))).isFalse();
    }

    @Test
    @DisplayName("log lines appended by many threads to one run are numbered 1..n without gaps or repeats, each batch in order")
    void appendLogRace() throws Exception {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        int batches = 10;
        List<List<Long>> lastSeqs = raceThreads(thread -> () -> {
            List<Long> seqs = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                seqs.add(storeOf(thread).appendLog(run.runId(), "step-" + thread, "INFO",
                        List.of(thread + ":" + b + ":0", thread + ":" + b + ":1", thread + ":" + b + ":2"), T0));
            }
            return seqs;
        });
        int total = THREADS * batches * 3;
        List<RunLogLine> lines = pipelines().logs(run.runId(), 0, 10_000);
        assertThat(lines).extracting(RunLogLine::seq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(lastSeqs.stream().flatMap(List::stream).toList()).doesNotHaveDuplicates().hasSize(THREADS * batches);
        Map<Long, RunLogLine> bySeq = new HashMap<>();
        for (RunLogLine line : lines) bySeq.put(line.seq(), line);
        for (int thread = 0; thread < THREADS; thread++) {
            assertThat(lastSeqs.get(thread)).isSorted();
            for (int b = 0; b < batches; b++) {
                long last = lastSeqs.get(thread).get(b);
                // A batch is numbered as one block, its last line at the seq returned.
                for (int i = 0; i < 3; i++) {
                    RunLogLine line = bySeq.get(last - 2 + i);
                    assertThat(line.message()).isEqualTo(thread + ":" + b + ":" + i);
                    assertThat(line.stepId()).isEqualTo("step-" + thread);
                }
            }
        }
    }

    @Test
    @DisplayName("steps first stored by many threads at once each keep one place, in each thread's order")
    void putStepRace() throws Exception {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        int perThread = 5;
        raceThreads(thread -> () -> {
            for (int i = 0; i < perThread; i++) storeOf(thread).putStep(StepRun.pending(run.runId(), "s" + thread + "-" + i));
            for (int i = 0; i < perThread; i++) {
                storeOf(thread).putStep(new StepRun(run.runId(), "s" + thread + "-" + i, StepState.SUCCEEDED,
                        1, null, null, null, null, T0, T0, null));
            }
            return null;
        });
        List<String> order = pipelines().steps(run.runId()).stream().map(StepRun::stepId).toList();
        assertThat(order).hasSize(THREADS * perThread).doesNotHaveDuplicates();
        for (int thread = 0; thread < THREADS; thread++) {
            String prefix = "s" + thread + "-";
            assertThat(order.stream().filter(id -> id.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    @DisplayName("first registrations of one pipeline at once all succeed, and one registration is recorded")
    void registerRace() throws Exception {
        String text = spec("nightly", 1);
        List<String> shas = raceThreads(thread -> () -> storeOf(thread).putPipeline("nightly", text, sha(text), "api", "t" + thread).sha256());
        assertThat(shas).containsOnly(sha(text));
        assertThat(pipelines().listPipelines()).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM pipeline_events WHERE action = 'PIPELINE_REGISTERED'")).isEqualTo(1);
    }

    @Test
    @DisplayName("runs created while their pipeline is deleted and registered again can always read the spec version they use")
    void createWhileDeleting() throws Exception {
        register("nightly", 1);
        AtomicBoolean creating = new AtomicBoolean(true);
        List<Callable<List<String>>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                for (int i = 0; i < 15; i++) {
                    storeOf(1).deletePipeline("nightly", "deleter");
                    String text = spec("nightly", 1);
                    storeOf(1).putPipeline("nightly", text, sha(text), "api", "deleter");
                }
            } finally {
                creating.set(false);
            }
            return List.of();
        });
        for (int t = 0; t < 7; t++) {
            int thread = t;
            tasks.add(() -> {
                List<String> created = new ArrayList<>();
                while (creating.get() || created.isEmpty()) {
                    try {
                        created.add(storeOf(thread).createRun(queued("nightly", T0), null).runId());
                    } catch (CairnException e) {
                        // Between a deletion and the registration, the version may be gone (no run used it yet).
                        assertThat(e.code()).as(e.getMessage()).isIn(ErrorCode.RESOURCE_DOES_NOT_EXIST, ErrorCode.INVALID_PARAMETER_VALUE);
                    }
                }
                return created;
            });
        }
        List<String> runIds = race(tasks).stream().flatMap(List::stream).toList();
        assertThat(runIds).isNotEmpty();
        for (String runId : runIds) {
            PipelineRun run = pipelines().getRun(runId);
            assertThat(pipelines().specText(run.pipeline(), run.specSha256())).as(runId).contains(spec("nightly", 1));
        }
        pipelines().deletePipeline("nightly", "deleter");
        assertThat(pipelines().specText("nightly", sha(spec("nightly", 1)))).as("kept for its runs").isPresent();
    }

    /** The number of rows a query counts, through a plain connection. */
    private long count(String sql) throws SQLException {
        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

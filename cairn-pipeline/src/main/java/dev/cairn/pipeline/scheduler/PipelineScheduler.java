package dev.cairn.pipeline.scheduler;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.RunListener;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.schedule.CatchUp;
import dev.cairn.pipeline.schedule.CronSchedule;
import dev.cairn.pipeline.schedule.Trigger;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts pipeline runs by themselves and hands queued runs to the engine. One {@link #tick} does, in order:
 * <ol>
 *   <li>if this server holds the scheduler lease: fires due schedules (each slot under a fire key, so a slot runs
 *       once even if two servers or a restart fire it again; missed slots follow the trigger's catch-up policy) and
 *       polls data triggers whose poll interval passed (a changed fingerprint fires a run keyed by the new one);</li>
 *   <li>takes over runs whose runner died ({@link PipelineEngine#recoverOrphans});</li>
 *   <li>hands every queued run it can claim to the run executor.</li>
 * </ol>
 * Alerts come in through {@link #onAlert}. Paused pipelines fire nothing by themselves. Every run records its
 * trigger and cause; the time a run is for is the schedule's slot, so a late run still reads as the night it was.
 */
public final class PipelineScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineScheduler.class);
    public static final String LEASE = "cairn-pipeline-scheduler";
    public static final Duration LEASE_TTL = Duration.ofSeconds(60);
    /** The most missed slots one schedule fires in one tick under catch_up: all. */
    static final int CATCH_UP_LIMIT = 100;

    private final PipelineEngine engine;
    private final PipelineStore store;
    private final Executor runs;
    private final RunListener listener;
    private final DataWatch dataWatch = new DataWatch();
    private final Set<String> dispatched = ConcurrentHashMap.newKeySet();
    private final Map<String, PipelineSpec> parsed = new ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService timer;

    /**
     * @param runs where claimed runs execute: a thread pool in a server, the calling thread in a test that wants
     *             each tick to finish the runs it started
     */
    public PipelineScheduler(PipelineEngine engine, Executor runs, RunListener listener) {
        this.engine = engine;
        this.store = engine.store();
        this.runs = runs;
        this.listener = listener == null ? RunListener.NONE : listener;
    }

    /** Ticks every {@code period} on a thread of its own until closed. */
    public synchronized void start(Duration period) {
        if (timer != null) return;
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("cairn-pipeline-scheduler").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("Pipeline scheduler tick failed", e);
            }
        }, 0, period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** What one tick did. */
    public record Tick(boolean leader, List<PipelineRun> fired, List<PipelineRun> recovered, int dispatched) {}

    public Tick tick() {
        Instant now = now();
        engine.heartbeat();
        boolean leader = store.acquireLease(LEASE, engine.owner(), LEASE_TTL, now);
        List<PipelineRun> fired = new ArrayList<>();
        if (leader) {
            for (PipelineDefinition definition : store.listPipelines()) {
                if (definition.paused()) continue;
                try {
                    PipelineSpec spec = spec(definition);
                    fired.addAll(fireSchedules(spec, definition, now));
                    fired.addAll(pollData(spec, now));
                } catch (RuntimeException e) {
                    LOG.warn("Triggers of pipeline {} failed: {}", definition.name(), e.getMessage());
                }
            }
        }
        List<PipelineRun> recovered = engine.recoverOrphans(true, listener);
        int handed = dispatchQueued();
        return new Tick(leader, fired, recovered, handed);
    }

    /**
     * An alert fired for {@code deployment}: starts every pipeline whose alert trigger matches it, once per
     * {@code alertKey} (the rule and the window it fired for), with the alert as the run's cause.
     */
    public List<PipelineRun> onAlert(String deployment, String rule, String alertKey, String description) {
        List<PipelineRun> started = new ArrayList<>();
        for (PipelineDefinition definition : store.listPipelines()) {
            if (definition.paused()) continue;
            PipelineSpec spec;
            try {
                spec = spec(definition);
            } catch (RuntimeException e) {
                continue;
            }
            for (Trigger.Alert trigger : spec.triggers(Trigger.Alert.class)) {
                if (!trigger.matches(deployment, rule)) continue;
                String cause = "alert " + rule + " on " + deployment + (description == null ? "" : ": " + description);
                RunRequest request = new RunRequest("alert", cause, Map.of(), now(), null, "cairn-scheduler",
                        "alert:" + deployment + ":" + rule + ":" + alertKey);
                submit(spec, request).ifPresent(started::add);
                break;
            }
        }
        if (!started.isEmpty()) dispatchQueued();
        return started;
    }

    private List<PipelineRun> fireSchedules(PipelineSpec spec, PipelineDefinition definition, Instant now) {
        List<PipelineRun> fired = new ArrayList<>();
        List<Trigger.Schedule> schedules = spec.triggers(Trigger.Schedule.class);
        for (int i = 0; i < schedules.size(); i++) {
            Trigger.Schedule trigger = schedules.get(i);
            CronSchedule cron = trigger.schedule();
            String key = "schedule:" + trigger.cron() + "@" + trigger.timezone();
            Optional<String> state = store.triggerState(spec.name(), key);
            if (state.isEmpty()) {
                // Armed now: a new schedule does not fire the slots before it existed.
                Instant armed = definition.updatedAt() != null && definition.updatedAt().isBefore(now) ? definition.updatedAt() : now;
                store.compareAndSetTriggerState(spec.name(), key, null, armed.toString(), now);
                state = Optional.of(armed.toString());
            }
            Instant last = Instant.parse(state.get());
            List<Instant> due = cron.due(last, now, trigger.catchUp(), CATCH_UP_LIMIT);
            String expected = state.get();
            for (Instant slot : due) {
                RunRequest request = new RunRequest("schedule", "schedule " + trigger.cron() + " (" + trigger.timezone() + ") for " + slot,
                        Map.of(), slot, null, "cairn-scheduler", key + ":" + slot);
                submit(spec, request).ifPresent(fired::add);
                if (!store.compareAndSetTriggerState(spec.name(), key, expected, slot.toString(), now)) break;
                expected = slot.toString();
            }
            if (due.isEmpty() && trigger.catchUp() != CatchUp.ALL) {
                // Missed slots a policy skips (none) still move the mark, so they are not reconsidered forever.
                Instant latest = cron.due(last, now, CatchUp.LATEST, 1).stream().findFirst().orElse(null);
                if (latest != null) store.compareAndSetTriggerState(spec.name(), key, expected, latest.toString(), now);
            }
        }
        return fired;
    }

    private List<PipelineRun> pollData(PipelineSpec spec, Instant now) {
        List<PipelineRun> fired = new ArrayList<>();
        for (Trigger.DataChange trigger : spec.triggers(Trigger.DataChange.class)) {
            String key = "data:" + trigger.source();
            String checkedKey = key + ":checked";
            Optional<String> checked = store.triggerState(spec.name(), checkedKey);
            if (checked.isPresent() && Instant.parse(checked.get()).plus(trigger.poll()).isAfter(now)) continue;
            store.compareAndSetTriggerState(spec.name(), checkedKey, checked.orElse(null), now.toString(), now);
            String token;
            try {
                token = dataWatch.of(spec, trigger.source(), trigger.fingerprint(), engine.services().workspace().forSpec(spec.source()),
                        engine.services().environment());
            } catch (CairnException e) {
                LOG.warn("Data trigger of {} on {}: {}", spec.name(), trigger.source(), e.getMessage());
                continue;
            }
            Optional<String> seen = store.triggerState(spec.name(), key);
            if (seen.isPresent() && seen.get().equals(token)) continue;
            if (!store.compareAndSetTriggerState(spec.name(), key, seen.orElse(null), token, now)) continue;
            if (seen.isEmpty()) continue; // The first look is the baseline, not a change.
            RunRequest request = new RunRequest("data", "the data of step " + trigger.source() + " changed ("
                    + token + ")", Map.of(), now, null, "cairn-scheduler", key + ":" + token);
            submit(spec, request).ifPresent(fired::add);
        }
        return fired;
    }

    private Optional<PipelineRun> submit(PipelineSpec spec, RunRequest request) {
        try {
            Optional<PipelineRun> run = engine.submit(spec, request);
            run.ifPresent(r -> LOG.info("Pipeline {} run {} queued: {}", spec.name(), r.runId(), request.cause()));
            return run;
        } catch (CairnException e) {
            LOG.warn("Cannot start pipeline {} ({}): {}", spec.name(), request.cause(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Hands every queued run, oldest first, to the run executor; the engine's claim keeps the limits. */
    public int dispatchQueued() {
        List<PipelineRun> queued = new ArrayList<>(store.listRuns(null, Set.of(PipelineRunState.QUEUED), 1000, null).items());
        java.util.Collections.reverse(queued);
        int handed = 0;
        for (PipelineRun run : queued) {
            if (!dispatched.add(run.runId())) continue;
            handed++;
            runs.execute(() -> {
                try {
                    engine.tryExecute(run.runId(), engine.specOf(run), listener);
                } catch (RuntimeException e) {
                    LOG.error("Pipeline run {} failed to start", run.runId(), e);
                } finally {
                    dispatched.remove(run.runId());
                }
            });
        }
        return handed;
    }

    private PipelineSpec spec(PipelineDefinition definition) {
        return parsed.computeIfAbsent(definition.sha256(), sha -> PipelineSpec.parse(definition.specText(), definition.source()));
    }

    private Instant now() {
        return engine.services().clock().instant();
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
        store.releaseLease(LEASE, engine.owner());
    }
}

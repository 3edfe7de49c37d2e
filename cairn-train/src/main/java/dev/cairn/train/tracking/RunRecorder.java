package dev.cairn.train.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One tracked run: logs in batches no larger than the store's limits and always ends the run,
 * FINISHED or FAILED with {@code cairn.failure.reason}, so no run is left RUNNING.
 */
public final class RunRecorder {
    private static final int MAX_PARAMS = 100;
    private static final int MAX_METRICS = 1000;
    private static final int MAX_REASON = 5000;

    private final Tracking tracking;
    private final Run run;
    private final List<Metric> pending = new ArrayList<>();
    private ArtifactRepository artifacts;
    private volatile boolean ended;
    /** Ends the run KILLED if the JVM stops (Ctrl-C) while it is still running. */
    private final Thread onShutdown;

    private RunRecorder(Tracking tracking, Run run) {
        this.tracking = tracking;
        this.run = run;
        this.onShutdown = new Thread(this::killed, "cairn-run-" + run.info().runId());
        try {
            Runtime.getRuntime().addShutdownHook(onShutdown);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping; nothing to guard.
        }
    }

    /** Starts a RUNNING run with the system tags (user, source, host, JDK, OS) and the given ones. */
    public static RunRecorder start(Tracking tracking, String experimentId, String runName, String parentRunId,
                                    String source, Map<String, String> tags) {
        List<Tag> all = new ArrayList<>(systemTags(source, tracking.user()));
        if (parentRunId != null) all.add(new Tag(SystemTags.PARENT_RUN_ID, parentRunId));
        tags.forEach((k, v) -> all.add(new Tag(k, v)));
        Run run = tracking.runs().createRun(experimentId, tracking.user(), System.currentTimeMillis(), runName, all);
        return new RunRecorder(tracking, run);
    }

    public String runId() {
        return run.info().runId();
    }

    public Run run() {
        return run;
    }

    public void logParams(Map<String, ?> params) {
        List<Param> all = params.entrySet().stream().map(e -> new Param(e.getKey(), String.valueOf(e.getValue()))).toList();
        for (int from = 0; from < all.size(); from += MAX_PARAMS) {
            tracking.runs().logBatch(runId(), List.of(), all.subList(from, Math.min(all.size(), from + MAX_PARAMS)), List.of());
        }
    }

    public void setTags(Map<String, String> tags) {
        if (tags.isEmpty()) return;
        tracking.runs().logBatch(runId(), List.of(), List.of(), tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList());
    }

    /** Queues a metric point; points are written in batches ({@link #flush()}). */
    public void metric(String key, double value, long step) {
        if (!Double.isFinite(value)) return; // a store cannot order NaN; an undefined metric is left out
        pending.add(new Metric(key, value, System.currentTimeMillis(), step));
        if (pending.size() >= MAX_METRICS) flush();
    }

    public void flush() {
        if (pending.isEmpty()) return;
        tracking.runs().logBatch(runId(), List.copyOf(pending), List.of(), List.of());
        pending.clear();
    }

    public void logInput(DatasetInput input) {
        tracking.runs().logInputs(runId(), List.of(input));
    }

    public ArtifactRepository artifacts() {
        if (artifacts == null) artifacts = tracking.runArtifacts().apply(run.info());
        return artifacts;
    }

    public void finish() {
        flush();
        end(RunStatus.FINISHED);
    }

    /** Ends the run FAILED with the reason as a tag; never throws, so the original error is what the caller sees. */
    public void fail(Throwable cause) {
        if (ended) return;
        try {
            pending.clear();
            String reason = cause instanceof CairnException ce ? ce.getMessage()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON);
            tracking.runs().setTag(runId(), new Tag(SystemTags.FAILURE_REASON, reason));
        } catch (RuntimeException tagFailure) {
            cause.addSuppressed(tagFailure);
        }
        try {
            end(RunStatus.FAILED);
        } catch (RuntimeException endFailure) {
            cause.addSuppressed(endFailure);
        }
    }

    private void end(RunStatus status) {
        tracking.runs().updateRun(runId(), status, System.currentTimeMillis(), null);
        ended = true;
        try {
            Runtime.getRuntime().removeShutdownHook(onShutdown);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it sees the run ended and does nothing.
        }
    }

    private void killed() {
        if (ended) return;
        try {
            tracking.runs().setTag(runId(), new Tag(SystemTags.FAILURE_REASON, "the process stopped while the run was running"));
            tracking.runs().updateRun(runId(), RunStatus.KILLED, System.currentTimeMillis(), null);
        } catch (RuntimeException storeGone) {
            // Best effort: the store may already be closed by another shutdown hook.
        }
    }

    static List<Tag> systemTags(String source, String user) {
        List<Tag> tags = new ArrayList<>();
        tags.add(new Tag(SystemTags.USER, user));
        tags.add(new Tag(SystemTags.SOURCE_NAME, source));
        tags.add(new Tag(SystemTags.SOURCE_TYPE, "LOCAL"));
        tags.add(new Tag(SystemTags.HOST, host()));
        tags.add(new Tag(SystemTags.JDK, System.getProperty("java.vendor") + " " + System.getProperty("java.version")));
        tags.add(new Tag(SystemTags.OS, System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")));
        return tags;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}

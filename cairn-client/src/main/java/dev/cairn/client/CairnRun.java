package dev.cairn.client;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A run in progress, safe to log to from several threads. {@link #close()} ends it FINISHED, unless it failed: {@link #fail(Throwable)}
 * was called, or one of this run's own calls to the server failed (a refused param, an upload that
 * did not complete), in which case it ends FAILED with the reason in the {@code cairn.failure.reason} tag.
 */
public final class CairnRun implements AutoCloseable {

    private static final int MAX_REASON = 1000;

    private final Cairn cairn;
    private final Run run;
    // A run may be logged to from several threads (parallel folds, a progress callback).
    private volatile String failureReason;
    private volatile boolean ended;

    CairnRun(Cairn cairn, Run run) {
        this.cairn = cairn;
        this.run = run;
    }

    public String runId() {
        return run.info().runId();
    }

    public String experimentId() {
        return run.info().experimentId();
    }

    public String runName() {
        return run.info().runName();
    }

    /** Where the run's artifacts are stored on the server's side. */
    public String artifactUri() {
        return run.info().artifactUri();
    }

    /** The run as the server holds it now. */
    public Run refresh() {
        return cairn.getRun(runId());
    }

    public CairnRun logParam(String key, Object value) {
        return call(() -> {
            cairn.rest().post(path("/params"), Map.of("key", key, "value", String.valueOf(value)), null);
            return this;
        });
    }

    public CairnRun logParams(Map<String, ?> params) {
        List<Map<String, String>> list = new ArrayList<>();
        params.forEach((k, v) -> list.add(Map.of("key", k, "value", String.valueOf(v))));
        return call(() -> {
            cairn.rest().post(path("/batch"), Map.of("params", list), null);
            return this;
        });
    }

    /** Logs a metric at step 0. */
    public CairnRun logMetric(String key, double value) {
        return logMetric(key, value, 0);
    }

    public CairnRun logMetric(String key, double value, long step) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", value);
        body.put("step", step);
        body.put("timestamp", System.currentTimeMillis());
        return call(() -> {
            checkFinite(key, value);
            cairn.rest().post(path("/metrics"), body, null);
            return this;
        });
    }

    /** Logs several metrics at one step in one request. */
    public CairnRun logMetrics(Map<String, Double> metrics, long step) {
        long now = System.currentTimeMillis();
        return call(() -> {
            List<Map<String, Object>> list = new ArrayList<>();
            metrics.forEach((k, v) -> {
                checkFinite(k, v);
                list.add(Map.of("key", k, "value", v, "step", step, "timestamp", now));
            });
            cairn.rest().post(path("/batch"), Map.of("metrics", list), null);
            return this;
        });
    }

    public CairnRun setTag(String key, String value) {
        return call(() -> {
            cairn.rest().post(path("/tags"), new Tag(key, value), null);
            return this;
        });
    }

    public CairnRun deleteTag(String key) {
        return call(() -> {
            cairn.rest().delete(path("/tags/" + RestClient.encodePath(key)), null);
            return this;
        });
    }

    /**
     * Uploads a file to the run's artifact root, or a directory with everything in it: directory
     * {@code model} becomes {@code model/…} among the run's artifacts.
     */
    public List<ArtifactInfo> logArtifact(Path path) {
        return logArtifact(path, "");
    }

    /** As {@link #logArtifact(Path)}, under {@code artifactDir} of the run's artifacts ({@code dir/file.txt}). */
    public List<ArtifactInfo> logArtifact(Path path, String artifactDir) {
        return call(() -> {
            String dir = artifactDir == null ? "" : artifactDir.replaceAll("^/+|/+$", "");
            String prefix = dir.isEmpty() ? "" : dir + "/";
            if (Files.isRegularFile(path)) {
                return List.of(cairn.uploadArtifact(runId(), prefix + path.getFileName(), path));
            }
            if (!Files.isDirectory(path)) {
                throw CairnException.invalid("path", path, "an existing file or directory");
            }
            List<ArtifactInfo> uploaded = new ArrayList<>();
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = path.relativize(file).toString().replace('\\', '/');
                    uploaded.add(cairn.uploadArtifact(runId(), prefix + path.getFileName() + "/" + relative, file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return uploaded;
        });
    }

    /** Records a dataset the run used, with context {@code training}. */
    public CairnRun logInput(Dataset dataset) {
        return logInput(dataset, "training");
    }

    /** Records a dataset the run used; {@code context} such as training, validation or test (null for none). */
    public CairnRun logInput(Dataset dataset, String context) {
        List<Tag> tags = context == null ? List.of() : List.of(new Tag(SystemTags.DATASET_CONTEXT, context));
        return call(() -> {
            cairn.rest().post(path("/inputs"), Map.of("datasets", List.of(new DatasetInput(dataset, tags))), null);
            return this;
        });
    }

    /** Marks the run failed; {@link #close()} then ends it FAILED with the cause in {@code cairn.failure.reason}. */
    public void fail(Throwable cause) {
        String reason = cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        fail(reason);
    }

    public synchronized void fail(String reason) {
        if (failureReason == null) {
            failureReason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
        }
    }

    /** Whether the run is marked failed (by {@link #fail} or by one of its calls failing). */
    public boolean failed() {
        return failureReason != null;
    }

    /** Ends the run with {@code status} (FINISHED, FAILED or KILLED); later calls to close do nothing. */
    public synchronized void end(RunStatus status) {
        if (ended) return;
        if (!status.isTerminal()) throw CairnException.invalid("status", status, "FINISHED, FAILED or KILLED");
        ended = true;
        if (status == RunStatus.FAILED && failureReason != null) {
            try {
                cairn.rest().post(path("/tags"), new Tag(SystemTags.FAILURE_REASON, failureReason), null);
            } catch (CairnException e) {
                // Still try to end the run: a FAILED status without its reason beats a run left RUNNING.
            }
        }
        cairn.rest().patch(path(""), Map.of("status", status.name(), "end_time", System.currentTimeMillis()), Run.class);
    }

    /** Ends the run: FAILED when it was marked failed, FINISHED otherwise. */
    @Override
    public void close() {
        end(failureReason == null ? RunStatus.FINISHED : RunStatus.FAILED);
    }

    private <T> T call(Supplier<T> action) {
        if (ended) {
            throw new CairnException(ErrorCode.INVALID_STATE, "Run " + runId() + " has ended; start a new run to log more");
        }
        try {
            return action.get();
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    private String path(String suffix) {
        return "/api/v1/runs/" + RestClient.encode(runId()) + suffix;
    }

    private static void checkFinite(String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw CairnException.invalid("metrics." + key, value, "a finite number (JSON has no NaN or infinity)");
        }
    }
}

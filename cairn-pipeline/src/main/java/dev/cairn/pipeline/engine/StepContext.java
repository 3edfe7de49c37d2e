package dev.cairn.pipeline.engine;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One attempt of one step, as its runner sees it: the step and its resolved {@code with}, typed accessors that
 * name the field in every error ({@code steps.tune.with.space}), the services, a scratch directory of its own, the
 * log, cancellation, and the lineage it records. The engine builds one per attempt.
 */
public final class StepContext {

    /** The run a step belongs to. {@code logicalTime} is the time the run is for ({@code ${run.time}}). */
    public record RunInfo(String pipeline, String runId, Instant logicalTime, String trigger, String cause,
                          String codeVersion, String actor) {
        public RunInfo {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(logicalTime, "logicalTime");
        }
    }

    /** Where the step's log lines and lineage edges go. */
    public interface Sink {
        void log(String level, String message);

        void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256);
    }

    public static final String SNAPSHOT_SCHEME = "snapshot:";

    private final RunInfo run;
    private final Step step;
    private final Map<String, Object> with;
    private final String stepRunId;
    private final int attempt;
    private final PipelineServices services;
    private final Path workDir;
    private final Sink sink;
    private final BooleanSupplier cancelled;
    private final List<LineageEdge> recorded = new ArrayList<>();

    public StepContext(RunInfo run, Step step, Map<String, Object> with, String stepRunId, int attempt,
                       PipelineServices services, Path workDir, Sink sink, BooleanSupplier cancelled) {
        this.run = Objects.requireNonNull(run, "run");
        this.step = Objects.requireNonNull(step, "step");
        this.with = new LinkedHashMap<>(Objects.requireNonNull(with, "with"));
        this.stepRunId = stepRunId;
        this.attempt = attempt;
        this.services = Objects.requireNonNull(services, "services");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.cancelled = cancelled == null ? () -> false : cancelled;
    }

    public RunInfo run() {
        return run;
    }

    public Step step() {
        return step;
    }

    public StepType type() {
        return step.type();
    }

    /** The step's {@code with}, every reference resolved. */
    public Map<String, Object> with() {
        return java.util.Collections.unmodifiableMap(with);
    }

    /** The step's child run in tracking, where it records params, metrics and artifacts of its own. */
    public String stepRunId() {
        return stepRunId;
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return attempt;
    }

    public PipelineServices services() {
        return services;
    }

    public Tracking tracking() {
        return services.tracking();
    }

    public Workspace workspace() {
        return services.workspace();
    }

    public Instant now() {
        return services.clock().instant();
    }

    /** A directory of this attempt's own, deleted when the step ends. */
    public Path workDir() {
        return workDir;
    }

    // ---- typed inputs ----

    /** {@code steps.<id>.with.<key>}: how errors name an input. */
    public String field(String key) {
        return "steps." + step.id() + ".with." + key;
    }

    public boolean has(String key) {
        return with.get(key) != null;
    }

    public String text(String key) {
        Object v = with.get(key);
        if (v == null) throw CairnException.invalid(field(key), null, "a value (the step type requires it)");
        return String.valueOf(v);
    }

    public Optional<String> optionalText(String key) {
        Object v = with.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    public Optional<Double> number(String key) {
        Object v = with.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Number n) return Optional.of(n.doubleValue());
        try {
            return Optional.of(Double.parseDouble(String.valueOf(v).strip()));
        } catch (NumberFormatException e) {
            throw CairnException.invalid(field(key), v, "a number");
        }
    }

    public Optional<Long> integer(String key) {
        Object v = with.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return Optional.of(n.longValue());
        try {
            return Optional.of(Long.parseLong(String.valueOf(v).strip()));
        } catch (NumberFormatException e) {
            throw CairnException.invalid(field(key), v, "a whole number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Object v = with.get(key);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        String s = String.valueOf(v).strip();
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw CairnException.invalid(field(key), v, "true or false");
    }

    public Optional<Duration> duration(String key) {
        Object v = with.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Duration d) return Optional.of(d);
        try {
            return Optional.of(dev.cairn.pipeline.spec.Durations.parse(String.valueOf(v)));
        } catch (RuntimeException e) {
            throw CairnException.invalid(field(key), v, "a duration such as 1h, 30m or PT1H");
        }
    }

    /** A list input as texts; a single value is a list of one. */
    public List<String> list(String key) {
        Object v = with.get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(v));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object v = with.get(key);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw CairnException.invalid(field(key), v, "a map of names to values");
    }

    // ---- what inputs name ----

    /** A file an input names (a schema, a search space), resolved in the workspace. */
    public Path file(String key) {
        return workspace().file(field(key), text(key));
    }

    /**
     * The data an input names, as a local file a trainer or scorer can read: a snapshot ({@code snapshot:<sha>},
     * what a {@code read} step outputs) is copied into the work directory, verified; a path is resolved in the
     * workspace. A JDBC URL is refused: read it with a {@code read} step first, so it is snapshotted.
     * The data is recorded as an input of the step.
     */
    public Path dataFile(String key) {
        String ref = text(key);
        if (ref.startsWith(SNAPSHOT_SCHEME)) {
            String sha = ref.substring(SNAPSHOT_SCHEME.length());
            Path local = services.snapshots().copyTo(sha, workDir.resolve("data-" + key + ".parquet"));
            consumed("snapshot", ref, sha);
            return local;
        }
        if (Workspace.isJdbc(ref)) {
            throw CairnException.invalid(field(key), Workspace.redact(ref),
                    "a file or a snapshot (read a database with a read step first, so what was read is kept)");
        }
        Path path = workspace().file(field(key), ref);
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "The data '" + ref + "' of " + field(key)
                    + " does not exist (" + path + ")", Map.of("field", field(key), "value", ref));
        }
        consumed("file", path.toUri().toString(), null);
        return path;
    }

    /**
     * The data an input names, as a source cairn-data reads: a snapshot, a file, or (with {@code tableOrQuery}) a
     * JDBC URL the workspace allows, its password from the environment variable {@code passwordEnv} names.
     */
    public DataSource dataSource(String key, String tableOrQuery, String user, String passwordEnv) {
        String ref = text(key);
        if (Workspace.isJdbc(ref)) {
            String url = workspace().jdbcUrl(field(key), ref);
            String password = null;
            if (passwordEnv != null) {
                password = services.environment().apply(passwordEnv);
                if (password == null) {
                    throw CairnException.invalid(field("password_env"), passwordEnv, "the name of a set environment variable");
                }
            }
            if (tableOrQuery == null || tableOrQuery.isBlank()) {
                throw CairnException.invalid(field("query"), null, "a query or a table to read from " + Workspace.redact(ref));
            }
            return new dev.cairn.data.source.JdbcSource(url, user, password, tableOrQuery);
        }
        return FileSource.of(dataFile(key));
    }

    // ---- log, cancellation, lineage ----

    public void log(String message) {
        sink.log("INFO", message);
    }

    public void warn(String message) {
        sink.log("WARN", message);
    }

    /** Whether the run was asked to stop: a long step checks it between units of work. */
    public boolean cancelRequested() {
        return cancelled.getAsBoolean();
    }

    /** Throws when the run was asked to stop. */
    public void checkCancelled() {
        if (cancelRequested()) throw new Cancelled();
    }

    public void consumed(String kind, String uri, String sha256) {
        record(LineageEdge.Direction.INPUT, kind, uri, sha256);
    }

    public void produced(String kind, String uri, String sha256) {
        record(LineageEdge.Direction.OUTPUT, kind, uri, sha256);
    }

    private void record(LineageEdge.Direction direction, String kind, String uri, String sha256) {
        String safe = Workspace.redact(uri);
        for (LineageEdge e : recorded) {
            if (e.direction() == direction && e.kind().equals(kind) && e.uri().equals(safe)) return;
        }
        recorded.add(new LineageEdge(run.runId(), step.id(), direction, kind, safe, sha256, now()));
        sink.lineage(direction, kind, safe, sha256);
    }

    /** The edges recorded so far in this attempt. */
    public List<LineageEdge> lineage() {
        return List.copyOf(recorded);
    }

    /** Thrown by {@link #checkCancelled}: the engine ends the step as CANCELLED, not FAILED. */
    public static final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled", null, false, false);
        }
    }
}

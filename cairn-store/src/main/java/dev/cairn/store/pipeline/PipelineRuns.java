package dev.cairn.store.pipeline;

import static dev.cairn.store.pipeline.PipelineRows.RUN_COLUMNS;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.tracking.Page;
import dev.cairn.store.pipeline.PipelineAudit.Action;
import dev.cairn.store.pipeline.PipelineRows.RunRow;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Dialect;
import dev.cairn.store.sql.Jdbc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Pipeline runs and their life: QUEUED → RUNNING (claimed by a runner, within the pipeline's limit) → SUCCEEDED,
 * FAILED or CANCELLED. Each decision of who does what is one conditional UPDATE (or INSERT … ON CONFLICT) whose row
 * count says whether this caller won, so that it holds across processes: PostgreSQL re-checks the condition on the
 * row it waited for, and SQLite runs one writer at a time.
 */
final class PipelineRuns {

    private static final String PAGE_KIND = "pipelineruns";

    private final Database database;

    PipelineRuns(Database database) {
        this.database = database;
    }

    /** Creates a queued run; with a fire key, only if no run of the pipeline has that key (empty otherwise). */
    Optional<PipelineRun> create(PipelineRun run, String specText, String fireKey) {
        if (run == null) throw CairnException.invalid("run", null, "a pipeline run");
        PipelineValidation.name("pipeline", run.pipeline());
        PipelineValidation.sha256("spec_sha256", run.specSha256());
        PipelineValidation.name("trigger", run.trigger());
        PipelineValidation.optionalName("fire_key", fireKey);
        if (run.state() != PipelineRunState.QUEUED) {
            throw CairnException.invalid("state", run.state(), "QUEUED: a new run waits for a runner to claim it");
        }
        // Not containsKey(null): an empty parameter map is Map.of(), which refuses to be asked about null.
        for (String name : run.parameters().keySet()) {
            if (name == null) throw CairnException.invalid("parameters", null, "parameter names that are not null");
        }
        if (specText != null) PipelineValidation.specText(specText, run.specSha256());
        Instant created = run.createdAt() != null ? run.createdAt() : Instant.now();
        Instant logical = run.logicalTime() != null ? run.logicalTime() : created;
        String runId = newId();
        return database.write(connection -> {
            // The unique (pipeline, fire_key) decides between servers firing the same slot: the loser inserts nothing
            // (no exception, so its transaction stays usable). Runs without a key (NULL) never conflict.
            int inserted = Jdbc.update(connection, "INSERT INTO pipeline_runs (run_id, pipeline, spec_sha256, state, trigger_type, cause,"
                            + " parameters, logical_time, created_at, cancel_requested, code_version, actor, fire_key)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (pipeline, fire_key) DO NOTHING",
                    runId, run.pipeline(), run.specSha256(), PipelineRunState.QUEUED.name(), run.trigger(),
                    PipelineValidation.freeText(run.cause()), ParameterJson.write(run.parameters()), logical.toEpochMilli(),
                    created.toEpochMilli(), run.codeVersion(), run.actor(), fireKey);
            // The version is flagged as used in this transaction, so that deleting the pipeline keeps it; if it is
            // not there, the exception rolls the new run back. A run not created uses nothing, but is checked alike.
            boolean specAvailable = inserted == 1
                    ? PipelineDefinitions.useSpec(connection, run.pipeline(), run.specSha256(), specText, System.currentTimeMillis())
                    : specText != null || PipelineDefinitions.specStored(connection, run.pipeline(), run.specSha256());
            if (!specAvailable) {
                if (!PipelineDefinitions.exists(connection, run.pipeline())) throw CairnException.notFound("pipeline", run.pipeline());
                throw CairnException.invalid("spec_sha256", run.specSha256(),
                        "a version registered for pipeline '" + run.pipeline() + "', or the spec's text with the run");
            }
            return inserted == 0 ? Optional.<PipelineRun>empty() : Optional.of(find(connection, runId));
        });
    }

    PipelineRun get(String runId) {
        PipelineValidation.name("run_id", runId);
        return database.read(connection -> find(connection, runId));
    }

    /** Newest first (by creation time, then by order of creation), paged by the position of the last run sent. */
    Page<PipelineRun> list(String pipeline, Set<PipelineRunState> states, int maxResults, String pageToken) {
        PipelineValidation.optionalName("pipeline", pipeline);
        PipelineValidation.maxResults("max_results", maxResults);
        long[] after = PageTokens.parseKeyset(pageToken, PAGE_KIND, 2);
        List<String> wanted = new ArrayList<>();
        for (PipelineRunState state : states == null ? Set.<PipelineRunState>of() : states) {
            if (state == null) throw CairnException.invalid("states", null, "pipeline run states");
            wanted.add(state.name());
        }
        return database.read(connection -> {
            StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE 1 = 1");
            List<Object> params = new ArrayList<>();
            if (pipeline != null) {
                sql.append(" AND pipeline = ?");
                params.add(pipeline);
            }
            if (!wanted.isEmpty()) {
                sql.append(" AND state IN (").append(Jdbc.placeholders(wanted.size())).append(')');
                params.addAll(wanted);
            }
            if (after != null) {
                sql.append(" AND (created_at, seq) < (?, ?)");
                params.add(after[0]);
                params.add(after[1]);
            }
            sql.append(" ORDER BY created_at DESC, seq DESC LIMIT ?");
            params.add(maxResults + 1);
            List<RunRow> rows = Jdbc.query(connection, sql.toString(), PipelineRows::runRow, params);
            List<PipelineRun> runs = rows.stream().limit(maxResults).map(RunRow::run).toList();
            if (rows.size() <= maxResults) return new Page<>(runs, null);
            RunRow last = rows.get(maxResults - 1);
            return new Page<>(runs, PageTokens.keyset(PAGE_KIND, last.run().createdAt().toEpochMilli(), last.seq()));
        });
    }

    /**
     * QUEUED → RUNNING if fewer than {@code maxRunning} runs of the pipeline run. Counting and moving are one
     * statement; on PostgreSQL the claimers of one pipeline also queue on a transaction-scoped advisory lock, since
     * under READ COMMITTED two statements could each count the runs before the other's commit. SQLite's writers
     * already run one at a time.
     */
    boolean claim(String runId, String owner, int maxRunning, Instant now) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.name("owner", owner);
        if (maxRunning < 1) throw CairnException.invalid("max_running", maxRunning, "at least 1");
        PipelineValidation.time("now", now);
        return database.write(connection -> {
            String pipeline = pipelineOf(connection, database.dialect(), runId, false);
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, claimLockKey(pipeline));
                    lock.execute();
                }
            }
            return Jdbc.update(connection, "UPDATE pipeline_runs SET state = 'RUNNING', owner = ?, started_at = ?, heartbeat_at = ?"
                            + " WHERE run_id = ? AND state = 'QUEUED'"
                            + " AND (SELECT COUNT(*) FROM pipeline_runs r WHERE r.pipeline = ? AND r.state = 'RUNNING') < ?",
                    owner, now.toEpochMilli(), now.toEpochMilli(), runId, pipeline, maxRunning) == 1;
        });
    }

    void setTrackingRun(String runId, String trackingRunId) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.name("tracking_run_id", trackingRunId);
        database.write(connection -> {
            if (Jdbc.update(connection, "UPDATE pipeline_runs SET tracking_run_id = ? WHERE run_id = ?", trackingRunId, runId) == 0) {
                throw CairnException.notFound("pipeline run", runId);
            }
            return null;
        });
    }

    PipelineRun finish(String runId, PipelineRunState state, String message, Instant now) {
        PipelineValidation.name("run_id", runId);
        if (state == null || !state.terminal()) {
            throw CairnException.invalid("state", state, "a final state: SUCCEEDED, FAILED or CANCELLED");
        }
        PipelineValidation.time("now", now);
        return database.write(connection -> {
            int ended = Jdbc.update(connection, "UPDATE pipeline_runs SET state = ?, ended_at = ?, message = ?, owner = NULL"
                            + " WHERE run_id = ? AND state IN ('QUEUED', 'RUNNING')",
                    state.name(), now.toEpochMilli(), PipelineValidation.freeText(message), runId);
            if (ended == 0) throw alreadyEnded(find(connection, runId), "end it as " + state);
            return find(connection, runId);
        });
    }

    /** A queued run is cancelled at once; a running one is flagged, and its runner ends it at its next step. */
    PipelineRun requestCancel(String runId, String actor, Instant now) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.time("now", now);
        return database.write(connection -> {
            PipelineRunState from = PipelineRunState.QUEUED;
            int changed = Jdbc.update(connection, "UPDATE pipeline_runs SET state = 'CANCELLED', cancel_requested = 1, ended_at = ?,"
                            + " message = ? WHERE run_id = ? AND state = 'QUEUED'",
                    now.toEpochMilli(), "Cancelled before it started" + (actor == null ? "" : ", by " + actor), runId);
            if (changed == 0) {
                from = PipelineRunState.RUNNING;
                changed = Jdbc.update(connection, "UPDATE pipeline_runs SET cancel_requested = 1 WHERE run_id = ? AND state = 'RUNNING'",
                        runId);
            }
            PipelineRun run = find(connection, runId);
            if (changed == 0) throw alreadyEnded(run, "cancel it");
            PipelineAudit.append(connection, now.toEpochMilli(), actor, Action.RUN_CANCEL_REQUESTED, run.pipeline(), runId,
                    from.name(), run.state().name());
            return run;
        });
    }

    void heartbeat(String owner, Instant now) {
        PipelineValidation.name("owner", owner);
        PipelineValidation.time("now", now);
        database.write(connection -> Jdbc.update(connection,
                "UPDATE pipeline_runs SET heartbeat_at = ? WHERE owner = ? AND state = 'RUNNING'", now.toEpochMilli(), owner));
    }

    List<PipelineRun> orphaned(Instant deadline) {
        PipelineValidation.time("deadline", deadline);
        return database.read(connection -> Jdbc.query(connection, "SELECT " + RUN_COLUMNS + " FROM pipeline_runs"
                + " WHERE state = 'RUNNING' AND heartbeat_at < ? ORDER BY heartbeat_at, seq", PipelineRows::run, deadline.toEpochMilli()));
    }

    boolean adopt(String runId, String newOwner, Instant deadline, Instant now) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.name("new_owner", newOwner);
        PipelineValidation.time("deadline", deadline);
        PipelineValidation.time("now", now);
        return database.write(connection -> {
            // The first adopter's new heartbeat makes the condition false for the second, who waited on the row.
            int adopted = Jdbc.update(connection, "UPDATE pipeline_runs SET owner = ?, heartbeat_at = ?"
                    + " WHERE run_id = ? AND state = 'RUNNING' AND heartbeat_at < ?", newOwner, now.toEpochMilli(), runId, deadline.toEpochMilli());
            if (adopted == 0) find(connection, runId);
            return adopted == 1;
        });
    }

    /**
     * The pipeline of a run, which must exist; with {@code lock}, its row stays locked (PostgreSQL) until the
     * transaction ends, which orders the writes of one run's steps and log lines.
     */
    static String pipelineOf(Connection connection, Dialect dialect, String runId, boolean lock) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT pipeline FROM pipeline_runs WHERE run_id = ?" + (lock ? dialect.forUpdate() : ""),
                row -> row.getString(1), runId).orElseThrow(() -> CairnException.notFound("pipeline run", runId));
    }

    private static PipelineRun find(Connection connection, String runId) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE run_id = ?", PipelineRows::run, runId)
                .orElseThrow(() -> CairnException.notFound("pipeline run", runId));
    }

    private static CairnException alreadyEnded(PipelineRun run, String attempted) {
        return new CairnException(ErrorCode.INVALID_STATE, "Pipeline run " + run.runId() + " already ended (" + run.state()
                + " at " + run.endedAt() + "): cannot " + attempted,
                Map.of("run_id", run.runId(), "state", run.state().name()));
    }

    /** A 32-hex id, as tracked runs have. */
    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A 64-bit advisory-lock key per pipeline; a collision of two names only makes their claims wait for each other. */
    private static long claimLockKey(String pipeline) {
        byte[] digest = Sha256.newDigest().digest(("cairn.pipeline.claim:" + pipeline).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }
}

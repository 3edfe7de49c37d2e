-- Pipelines: registered specs and every version of them, runs with their steps, logs and lineage,
-- what triggers last saw, and leases. Times are epoch milliseconds, as in the rest of the schema.

-- A registered pipeline; its current version's text is in pipeline_specs.
CREATE TABLE pipelines (
    name       TEXT    NOT NULL PRIMARY KEY,
    sha256     TEXT    NOT NULL,
    source     TEXT,
    paused     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);

-- Every version of a spec that was registered or run, by the SHA-256 of its text. No foreign key
-- to pipelines: a spec file run without registering it has a version but no pipeline, and the
-- versions runs used outlive the pipeline's deletion. used_by_runs is set, by an UPDATE in the
-- transaction creating the run, once a run uses the version: deleting the pipeline keeps exactly
-- those (PostgreSQL re-checks the flag on a row a concurrent run creation changed).
CREATE TABLE pipeline_specs (
    pipeline     TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    spec_text    TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    used_by_runs INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pipeline, sha256)
);

-- seq orders runs created in the same millisecond and pages them; run_id is the public id. The
-- unique fire key is what makes a scheduled slot fire once with several servers (NULLs repeat).
CREATE TABLE pipeline_runs (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id           TEXT    NOT NULL UNIQUE,
    pipeline         TEXT    NOT NULL,
    spec_sha256      TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    trigger_type     TEXT    NOT NULL,
    cause            TEXT,
    parameters       TEXT    NOT NULL,
    logical_time     INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    ended_at         INTEGER,
    tracking_run_id  TEXT,
    owner            TEXT,
    heartbeat_at     INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    code_version     TEXT,
    actor            TEXT,
    message          TEXT,
    fire_key         TEXT,
    UNIQUE (pipeline, fire_key)
);
CREATE INDEX pipeline_runs_created ON pipeline_runs (created_at, seq);
CREATE INDEX pipeline_runs_pipeline_created ON pipeline_runs (pipeline, created_at, seq);
CREATE INDEX pipeline_runs_state ON pipeline_runs (state, pipeline);
CREATE INDEX pipeline_runs_owner ON pipeline_runs (owner);

-- seq keeps the order a run's steps were first stored in; pipeline is copied from the run so that
-- the cache lookup is one index range.
CREATE TABLE pipeline_steps (
    run_id          TEXT    NOT NULL REFERENCES pipeline_runs (run_id) ON DELETE CASCADE,
    step_id         TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    pipeline        TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    tracking_run_id TEXT,
    cache_key       TEXT,
    cached_from     TEXT,
    outputs_json    TEXT,
    started_at      INTEGER,
    ended_at        INTEGER,
    message         TEXT,
    PRIMARY KEY (run_id, step_id)
);
CREATE INDEX pipeline_steps_cache ON pipeline_steps (pipeline, step_id, cache_key, ended_at);

CREATE TABLE pipeline_logs (
    run_id    TEXT    NOT NULL REFERENCES pipeline_runs (run_id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    step_id   TEXT,
    logged_at INTEGER NOT NULL,
    level     TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE pipeline_lineage (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      TEXT    NOT NULL REFERENCES pipeline_runs (run_id) ON DELETE CASCADE,
    step_id     TEXT    NOT NULL,
    direction   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    uri         TEXT    NOT NULL,
    sha256      TEXT,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX pipeline_lineage_run ON pipeline_lineage (run_id, id);
CREATE INDEX pipeline_lineage_uri ON pipeline_lineage (uri, recorded_at, id);

-- What each trigger of a pipeline last saw; goes with the pipeline.
CREATE TABLE pipeline_trigger_state (
    pipeline   TEXT    NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pipeline, key)
);

CREATE TABLE pipeline_leases (
    name       TEXT    NOT NULL PRIMARY KEY,
    owner      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Who registered, paused, resumed or deleted a pipeline and who asked a run to stop: append-only,
-- written in the same transaction as the change (audit_events is the model registry's).
CREATE TABLE pipeline_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp  INTEGER NOT NULL,
    actor      TEXT,
    action     TEXT    NOT NULL,
    pipeline   TEXT    NOT NULL,
    run_id     TEXT,
    from_value TEXT,
    to_value   TEXT
);
CREATE INDEX pipeline_events_pipeline ON pipeline_events (pipeline, id);

CREATE TRIGGER pipeline_events_no_update BEFORE UPDATE ON pipeline_events
BEGIN
    SELECT RAISE(ABORT, 'pipeline_events is append-only');
END;

CREATE TRIGGER pipeline_events_no_delete BEFORE DELETE ON pipeline_events
BEGIN
    SELECT RAISE(ABORT, 'pipeline_events is append-only');
END;

-- Cairn metadata schema, PostgreSQL dialect. Tables and column names follow MLflow's SQL store where
-- MLflow has one, so that people who know MLflow's schema find their way.

CREATE TABLE experiments (
    experiment_id     BIGSERIAL PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT,
    lifecycle_stage   TEXT    NOT NULL DEFAULT 'active',
    creation_time     BIGINT NOT NULL,
    last_update_time  BIGINT NOT NULL
);

CREATE TABLE experiment_tags (
    experiment_id BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    value         TEXT,
    PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
    run_uuid        TEXT    NOT NULL PRIMARY KEY,
    experiment_id   BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    name            TEXT,
    user_id         TEXT,
    status          TEXT    NOT NULL,
    start_time      BIGINT NOT NULL,
    end_time        BIGINT,
    deleted_time    BIGINT,
    lifecycle_stage TEXT    NOT NULL DEFAULT 'active',
    artifact_uri    TEXT
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time, run_uuid);

-- Full history of every metric point.
CREATE TABLE metrics (
    run_uuid  TEXT    NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key       TEXT    NOT NULL,
    value     DOUBLE PRECISION    NOT NULL,
    is_nan    BIGINT NOT NULL DEFAULT 0,
    timestamp BIGINT NOT NULL,
    step      BIGINT NOT NULL
);
CREATE INDEX metrics_run_key_step ON metrics (run_uuid, key, step, timestamp);

-- The latest point of each metric of each run (by step, then timestamp, then value), kept up to
-- date by every write, so that search filters and sorts on metrics without reading the history.
CREATE TABLE latest_metrics (
    run_uuid  TEXT    NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key       TEXT    NOT NULL,
    value     DOUBLE PRECISION    NOT NULL,
    is_nan    BIGINT NOT NULL DEFAULT 0,
    timestamp BIGINT NOT NULL,
    step      BIGINT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value, run_uuid);

CREATE TABLE params (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX params_key_value ON params (key, value);

CREATE TABLE tags (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX tags_key_value ON tags (key, value);

CREATE TABLE datasets (
    dataset_uuid   TEXT    NOT NULL PRIMARY KEY,
    experiment_id  BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    digest         TEXT    NOT NULL,
    source_type    TEXT,
    source         TEXT,
    schema         TEXT,
    profile        TEXT,
    UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_inputs (
    run_uuid     TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    dataset_uuid TEXT NOT NULL REFERENCES datasets (dataset_uuid) ON DELETE CASCADE,
    PRIMARY KEY (run_uuid, dataset_uuid)
);
CREATE INDEX run_inputs_dataset ON run_inputs (dataset_uuid);

CREATE TABLE run_input_tags (
    run_uuid     TEXT NOT NULL,
    dataset_uuid TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (run_uuid, dataset_uuid, key),
    FOREIGN KEY (run_uuid, dataset_uuid) REFERENCES run_inputs (run_uuid, dataset_uuid) ON DELETE CASCADE
);

CREATE TABLE registered_models (
    name                   TEXT    NOT NULL PRIMARY KEY,
    creation_time          BIGINT NOT NULL,
    last_updated_time      BIGINT NOT NULL,
    description            TEXT
);

CREATE TABLE registered_model_tags (
    name  TEXT NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    key   TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (name, key)
);

-- A deleted version stays as a row with stage 'Deleted_Internal' (as in MLflow), so that
-- version numbers are never given out twice.
CREATE TABLE model_versions (
    name              TEXT    NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    version           BIGINT NOT NULL,
    creation_time     BIGINT NOT NULL,
    last_updated_time BIGINT NOT NULL,
    description       TEXT,
    user_id           TEXT,
    current_stage     TEXT    NOT NULL,
    source            TEXT,
    run_id            TEXT,
    status            TEXT    NOT NULL,
    status_message    TEXT,
    PRIMARY KEY (name, version)
);
CREATE INDEX model_versions_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    name    TEXT    NOT NULL,
    version BIGINT NOT NULL,
    key     TEXT    NOT NULL,
    value   TEXT,
    PRIMARY KEY (name, version, key),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE registered_model_aliases (
    name    TEXT    NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    alias   TEXT    NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (name, alias)
);

-- Append-only: rows are inserted in the same transaction as the change they record, and the
-- triggers below refuse to change or remove them.
CREATE TABLE audit_events (
    id         BIGSERIAL PRIMARY KEY,
    timestamp  BIGINT NOT NULL,
    actor      TEXT,
    action     TEXT    NOT NULL,
    model_name TEXT,
    version    BIGINT,
    subject    TEXT,
    from_value TEXT,
    to_value   TEXT,
    comment    TEXT
);
CREATE INDEX audit_events_model ON audit_events (model_name, id);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

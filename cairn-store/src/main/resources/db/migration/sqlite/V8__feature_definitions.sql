-- Feature definitions (entities, sources, feature views, feature services) with every version applied.
-- feature_names holds one row per name: its kind (names are unique across kinds) and latest version, and is the
-- row an apply locks so that two applies of one name number their versions one after the other.
-- feature_definitions holds every version: the canonical JSON body and its SHA-256; applying a body whose
-- SHA-256 is the latest version's stores nothing. Times are epoch milliseconds.
CREATE TABLE feature_names (
    name           TEXT    NOT NULL PRIMARY KEY,
    kind           TEXT    NOT NULL,
    latest_version INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE TABLE feature_definitions (
    name       TEXT    NOT NULL REFERENCES feature_names (name),
    version    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    source     TEXT,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);

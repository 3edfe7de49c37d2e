-- Four-eyes promotion: a protected alias of a registered model moves only when a second person
-- approves the change someone requested. The request remembers what the alias pointed at when it
-- was made, and approval moves the alias only from there (a compare-and-set), so an approval of a
-- stale request is a conflict. Every step is also in audit_events.
CREATE TABLE protected_aliases (
    name       TEXT    NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    alias      TEXT    NOT NULL,
    PRIMARY KEY (name, alias)
);

CREATE TABLE alias_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
    alias            TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    from_version     INTEGER,
    requested_by     TEXT    NOT NULL,
    requested_at     INTEGER NOT NULL,
    comment          TEXT,
    state            TEXT    NOT NULL,
    decided_by       TEXT,
    decided_at       INTEGER,
    decision_comment TEXT
);
CREATE INDEX alias_requests_by_model ON alias_requests (name, id);

-- Web UI sessions: a browser that logged in with a password holds a random session id in a cookie;
-- the database keeps only the SHA-256 of that id (as for API tokens), so a copy of it logs nobody in.
-- They live here rather than in one server's memory so that servers sharing a database share them
-- (a logout or a deleted account ends the session on every server at once).
-- expires_at is the absolute end, fixed at login; last_seen_at (updated at most once a minute) is
-- where the server's idle timeout counts from. Times are epoch milliseconds.
CREATE TABLE auth_sessions (
    sha256       TEXT    NOT NULL PRIMARY KEY,
    account      TEXT    NOT NULL REFERENCES auth_accounts (name) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX auth_sessions_by_account ON auth_sessions (account);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at);

-- One counter that every change to accounts, tokens, groups, admins or grants moves, in the change's own
-- transaction. Each server keeps verified credentials and grants in memory (a database read per request cost
-- most of an inference's time); it compares this counter about once a second, so a token revoked or a grant
-- taken away through one server stops working on every server sharing the database within that second.
CREATE TABLE auth_changes (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
);
INSERT INTO auth_changes (id, generation) VALUES (1, 0);

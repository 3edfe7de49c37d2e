-- Identity and access: accounts (people and service accounts), API tokens kept only as the
-- SHA-256 of their secret, groups with their members, and grants of a permission on a resource
-- (an experiment id, a registered model, deployment or pipeline name) to an account or a group.
-- Times are epoch milliseconds, as in the rest of the schema.

-- password_hash is an encoded Argon2id hash (algorithm and parameters in the string), NULL for a
-- service account or an account whose password was removed.
CREATE TABLE auth_accounts (
    name          TEXT    NOT NULL PRIMARY KEY,
    kind          TEXT    NOT NULL,
    password_hash TEXT,
    admin         BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);

-- id is the public part of a token (shown in listings, used to revoke it); sha256 is the hash of
-- the whole secret, looked up on every authenticated request.
CREATE TABLE auth_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    account     TEXT    NOT NULL REFERENCES auth_accounts (name) ON DELETE CASCADE,
    sha256      TEXT    NOT NULL UNIQUE,
    description TEXT,
    scope       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT ,
    revoked_at  BIGINT 
);
CREATE INDEX auth_tokens_by_account ON auth_tokens (account);

CREATE TABLE auth_groups (
    name       TEXT    NOT NULL PRIMARY KEY,
    created_at BIGINT  NOT NULL
);

CREATE TABLE auth_group_members (
    group_name TEXT NOT NULL REFERENCES auth_groups (name) ON DELETE CASCADE,
    account    TEXT NOT NULL REFERENCES auth_accounts (name) ON DELETE CASCADE,
    PRIMARY KEY (group_name, account)
);
CREATE INDEX auth_group_members_by_account ON auth_group_members (account);

-- No foreign key to the resource: grants outlive nothing they name (deleting an account or group
-- removes its grants in the same transaction), and a resource's grants go when it is purged.
CREATE TABLE auth_grants (
    resource_kind TEXT NOT NULL,
    resource      TEXT NOT NULL,
    grantee_kind  TEXT NOT NULL,
    grantee       TEXT NOT NULL,
    permission    TEXT NOT NULL,
    PRIMARY KEY (resource_kind, resource, grantee_kind, grantee)
);
CREATE INDEX auth_grants_by_grantee ON auth_grants (grantee_kind, grantee, resource_kind);

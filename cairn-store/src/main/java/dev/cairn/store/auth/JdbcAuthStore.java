package dev.cairn.store.auth;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.auth.Session;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import dev.cairn.store.sql.SqlFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Accounts, tokens, web UI sessions, groups and grants in the metadata database (SQLite or PostgreSQL). Deleting an
 * account or a group removes what hangs off it in the same transaction (foreign keys for tokens, sessions and
 * memberships, explicitly for grants, which have no foreign key because a grantee is either kind).
 */
public final class JdbcAuthStore implements AuthStore {

    static final int MAX_NAME_LENGTH = 256;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String ACCOUNT_COLUMNS = "name, kind, admin, password_hash IS NOT NULL AS has_password, created_at";
    private static final String TOKEN_COLUMNS = "id, account, description, scope, created_at, expires_at, revoked_at";
    private static final String SESSION_COLUMNS = "account, created_at, expires_at, last_seen_at";

    /**
     * How often, at most, the database's change counter ({@code auth_changes}) is read. Every authorized request
     * needs its credentials and grants (an inference request too), and a database read per request cost more than
     * half of a server's inference throughput, so both are kept in memory for as long as the counter stays where it
     * was. Changes made through this store are seen at once; another server's within this time.
     */
    static final long CHANGES_CHECK_NANOS = 1_000_000_000L;

    private record CachedGrants(List<Grant> grants, long changes) {}

    private final Database database;
    private final Map<String, CachedGrants> grantCache = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long changes = -1;
    private volatile long changesCheckedAt;

    public JdbcAuthStore(Database database) {
        this.database = database;
    }

    /**
     * A change to accounts, tokens, groups, admins or grants, in one transaction that also moves the change counter,
     * so that every server sharing the database drops what it cached before it.
     */
    private <T> T write(SqlFunction<T> work) {
        long[] moved = {-1};
        try {
            T result = database.write(connection -> {
                T done = work.apply(connection);
                Jdbc.update(connection, "UPDATE auth_changes SET generation = generation + 1 WHERE id = 1");
                moved[0] = Jdbc.queryOne(connection, "SELECT generation FROM auth_changes WHERE id = 1", row -> row.getLong(1))
                        .orElse(0L);
                return done;
            });
            // Committed: this store sees its own change at once, whatever another thread's read of the counter says.
            changes = Math.max(changes, moved[0]);
            changesCheckedAt = System.nanoTime();
            return result;
        } finally {
            grantCache.clear();
        }
    }

    /** A write to sessions, which nothing caches (each request with a cookie reads its session). */
    private <T> T writeSession(SqlFunction<T> work) {
        return database.write(work);
    }

    @Override
    public long changes() {
        long seen = changes;
        if (seen >= 0 && System.nanoTime() - changesCheckedAt < CHANGES_CHECK_NANOS) return seen;
        // One caller reads the database; the others (every request thread, on a busy server) go on with the value
        // seen, at most a read's time older, rather than queueing behind it. Only the very first read waits.
        boolean claimed = refreshing.compareAndSet(false, true);
        if (seen >= 0 && !claimed) return seen;
        try {
            long read = database.read(connection -> Jdbc.queryOne(connection, "SELECT generation FROM auth_changes WHERE id = 1",
                    row -> row.getLong(1))).orElse(0L);
            // The counter only grows: a read that began before this store's own write must not take it back.
            if (read > changes) {
                grantCache.clear();
                changes = read;
            }
            changesCheckedAt = System.nanoTime();
            return changes;
        } finally {
            if (claimed) refreshing.set(false);
        }
    }

    @Override
    public Account createAccount(String name, Account.Kind kind, String passwordHash, boolean admin) {
        name("name", name);
        if (kind == null) throw CairnException.invalid("kind", null, "USER or SERVICE_ACCOUNT");
        if (kind == Account.Kind.SERVICE_ACCOUNT && passwordHash != null) {
            throw CairnException.invalid("password", "(given)", "no password for a service account: it uses API tokens");
        }
        long now = System.currentTimeMillis();
        return write(connection -> {
            if (findAccount(connection, name).isPresent()) {
                throw new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Account '" + name + "' already exists",
                        Map.of("name", name));
            }
            try {
                Jdbc.update(connection, "INSERT INTO auth_accounts (name, kind, password_hash, admin, created_at) VALUES (?, ?, ?, ?, ?)",
                        name, kind.name(), passwordHash, admin, now);
            } catch (SQLException e) {
                // Created by another server between the look above and this insert (replicas starting at once).
                if (Database.isUniqueViolation(e)) {
                    throw new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Account '" + name + "' already exists", Map.of("name", name));
                }
                throw e;
            }
            return findAccount(connection, name).orElseThrow();
        });
    }

    @Override
    public Optional<Account> account(String name) {
        name("name", name);
        return database.read(connection -> findAccount(connection, name));
    }

    @Override
    public List<Account> accounts() {
        return database.read(connection -> Jdbc.query(connection, "SELECT " + ACCOUNT_COLUMNS + " FROM auth_accounts ORDER BY name",
                JdbcAuthStore::account));
    }

    @Override
    public Optional<String> passwordHash(String name) {
        name("name", name);
        return database.read(connection -> Jdbc.queryOne(connection, "SELECT password_hash FROM auth_accounts WHERE name = ?",
                row -> Optional.ofNullable(row.getString(1)), name).flatMap(hash -> hash));
    }

    @Override
    public void setPasswordHash(String name, String passwordHash) {
        name("name", name);
        write(connection -> {
            Account account = requireAccount(connection, name);
            if (account.kind() == Account.Kind.SERVICE_ACCOUNT && passwordHash != null) {
                throw CairnException.invalid("password", "(given)", "no password for a service account: it uses API tokens");
            }
            // Whoever logged in with the old password (or while there was one) must log in again.
            Jdbc.update(connection, "DELETE FROM auth_sessions WHERE account = ?", name);
            return Jdbc.update(connection, "UPDATE auth_accounts SET password_hash = ? WHERE name = ?", passwordHash, name);
        });
    }

    @Override
    public void setAdmin(String name, boolean admin) {
        name("name", name);
        write(connection -> {
            requireAccount(connection, name);
            return Jdbc.update(connection, "UPDATE auth_accounts SET admin = ? WHERE name = ?", admin, name);
        });
    }

    @Override
    public void deleteAccount(String name) {
        name("name", name);
        write(connection -> {
            requireAccount(connection, name);
            Jdbc.update(connection, "DELETE FROM auth_grants WHERE grantee_kind = ? AND grantee = ?", Grantee.Kind.USER.name(), name);
            Jdbc.update(connection, "DELETE FROM auth_tokens WHERE account = ?", name);
            Jdbc.update(connection, "DELETE FROM auth_sessions WHERE account = ?", name);
            Jdbc.update(connection, "DELETE FROM auth_group_members WHERE account = ?", name);
            return Jdbc.update(connection, "DELETE FROM auth_accounts WHERE name = ?", name);
        });
    }

    @Override
    public boolean anyAdmin() {
        return database.read(connection -> Jdbc.queryOne(connection, "SELECT 1 FROM auth_accounts WHERE admin <> 0", row -> true).isPresent());
    }

    @Override
    public ApiToken createToken(ApiToken token, String sha256) {
        if (token == null) throw CairnException.invalid("token", null, "a token");
        name("id", token.id());
        name("account", token.account());
        sha256(sha256);
        if (token.scope() == null) throw CairnException.invalid("scope", null, "one of READ, EDIT, MANAGE, INVOKE");
        return write(connection -> {
            requireAccount(connection, token.account());
            if (findToken(connection, token.id()).isPresent()) {
                throw new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Token '" + token.id() + "' already exists",
                        Map.of("id", token.id()));
            }
            long created = token.createdAt() == null ? System.currentTimeMillis() : token.createdAt().toEpochMilli();
            Jdbc.update(connection, "INSERT INTO auth_tokens (id, account, sha256, description, scope, created_at, expires_at, revoked_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", token.id(), token.account(), sha256, token.description(),
                    token.scope().name(), created, token.expiresAt() == null ? null : token.expiresAt().toEpochMilli());
            return findToken(connection, token.id()).orElseThrow();
        });
    }

    @Override
    public Optional<ApiToken> tokenByHash(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) return Optional.empty();
        return database.read(connection -> Jdbc.queryOne(connection, "SELECT " + TOKEN_COLUMNS + " FROM auth_tokens WHERE sha256 = ?",
                JdbcAuthStore::token, sha256));
    }

    @Override
    public Optional<ApiToken> token(String id) {
        name("id", id);
        return database.read(connection -> findToken(connection, id));
    }

    @Override
    public List<ApiToken> tokens(String account) {
        name("account", account);
        return database.read(connection -> Jdbc.query(connection, "SELECT " + TOKEN_COLUMNS + " FROM auth_tokens WHERE account = ?"
                + " ORDER BY created_at, id", JdbcAuthStore::token, account));
    }

    @Override
    public boolean revokeToken(String id) {
        name("id", id);
        return write(connection -> Jdbc.update(connection, "UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                System.currentTimeMillis(), id) == 1);
    }

    @Override
    public Session createSession(String sha256, String account, Instant createdAt, Instant expiresAt) {
        sha256(sha256);
        name("account", account);
        if (createdAt == null || expiresAt == null || !expiresAt.isAfter(createdAt)) {
            throw CairnException.invalid("expires_at", expiresAt, "a time after the session's creation (" + createdAt + ")");
        }
        return writeSession(connection -> {
            requireAccount(connection, account);
            Jdbc.update(connection, "INSERT INTO auth_sessions (sha256, account, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                    sha256, account, createdAt.toEpochMilli(), expiresAt.toEpochMilli(), createdAt.toEpochMilli());
            return findSession(connection, sha256).orElseThrow();
        });
    }

    @Override
    public Optional<Session> sessionByHash(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) return Optional.empty();
        return database.read(connection -> findSession(connection, sha256));
    }

    @Override
    public boolean touchSession(String sha256, Instant lastSeen) {
        if (sha256 == null || !SHA256.matcher(sha256).matches() || lastSeen == null) return false;
        return writeSession(connection -> {
            if (findSession(connection, sha256).isEmpty()) return false;
            Jdbc.update(connection, "UPDATE auth_sessions SET last_seen_at = ? WHERE sha256 = ? AND last_seen_at < ?",
                    lastSeen.toEpochMilli(), sha256, lastSeen.toEpochMilli());
            return true;
        });
    }

    @Override
    public boolean deleteSession(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) return false;
        return writeSession(connection -> Jdbc.update(connection, "DELETE FROM auth_sessions WHERE sha256 = ?", sha256) == 1);
    }

    @Override
    public int deleteSessions(String account) {
        name("account", account);
        return writeSession(connection -> Jdbc.update(connection, "DELETE FROM auth_sessions WHERE account = ?", account));
    }

    @Override
    public int deleteEndedSessions(Instant now, Instant idleSince) {
        if (now == null || idleSince == null) throw CairnException.invalid("now", now, "the current time and the idle cut-off");
        return writeSession(connection -> Jdbc.update(connection, "DELETE FROM auth_sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                now.toEpochMilli(), idleSince.toEpochMilli()));
    }

    @Override
    public void createGroup(String name) {
        name("group", name);
        write(connection -> {
            if (groupExists(connection, name)) {
                throw new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Group '" + name + "' already exists", Map.of("group", name));
            }
            return Jdbc.update(connection, "INSERT INTO auth_groups (name, created_at) VALUES (?, ?)", name, System.currentTimeMillis());
        });
    }

    @Override
    public void deleteGroup(String name) {
        name("group", name);
        write(connection -> {
            requireGroup(connection, name);
            Jdbc.update(connection, "DELETE FROM auth_grants WHERE grantee_kind = ? AND grantee = ?", Grantee.Kind.GROUP.name(), name);
            Jdbc.update(connection, "DELETE FROM auth_group_members WHERE group_name = ?", name);
            return Jdbc.update(connection, "DELETE FROM auth_groups WHERE name = ?", name);
        });
    }

    @Override
    public List<String> groups() {
        return database.read(connection -> Jdbc.query(connection, "SELECT name FROM auth_groups ORDER BY name", row -> row.getString(1)));
    }

    @Override
    public void addMember(String group, String account) {
        name("group", group);
        name("account", account);
        write(connection -> {
            requireGroup(connection, group);
            requireAccount(connection, account);
            return Jdbc.update(connection, "INSERT INTO auth_group_members (group_name, account) VALUES (?, ?)"
                    + " ON CONFLICT (group_name, account) DO NOTHING", group, account);
        });
    }

    @Override
    public void removeMember(String group, String account) {
        name("group", group);
        name("account", account);
        write(connection -> Jdbc.update(connection, "DELETE FROM auth_group_members WHERE group_name = ? AND account = ?",
                group, account));
    }

    @Override
    public List<String> members(String group) {
        name("group", group);
        return database.read(connection -> {
            requireGroup(connection, group);
            return Jdbc.query(connection, "SELECT account FROM auth_group_members WHERE group_name = ? ORDER BY account",
                    row -> row.getString(1), group);
        });
    }

    @Override
    public Set<String> groupsOf(String account) {
        name("account", account);
        return database.read(connection -> new LinkedHashSet<>(Jdbc.query(connection,
                "SELECT group_name FROM auth_group_members WHERE account = ? ORDER BY group_name", row -> row.getString(1), account)));
    }

    @Override
    public void putGrant(Grant grant) {
        if (grant == null || grant.kind() == null || grant.grantee() == null || grant.grantee().kind() == null
                || grant.permission() == null) {
            throw CairnException.invalid("grant", grant, "a resource kind, a resource, a grantee and a permission");
        }
        name("resource", grant.resource());
        name("grantee", grant.grantee().name());
        write(connection -> {
            if (grant.grantee().kind() == Grantee.Kind.USER) requireAccount(connection, grant.grantee().name());
            else requireGroup(connection, grant.grantee().name());
            return Jdbc.update(connection, "INSERT INTO auth_grants (resource_kind, resource, grantee_kind, grantee, permission)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource_kind, resource, grantee_kind, grantee)"
                            + " DO UPDATE SET permission = excluded.permission", grant.kind().name(), grant.resource(),
                    grant.grantee().kind().name(), grant.grantee().name(), grant.permission().name());
        });
    }

    @Override
    public boolean deleteGrant(ResourceKind kind, String resource, Grantee grantee) {
        name("resource", resource);
        if (kind == null || grantee == null) throw CairnException.invalid("grant", null, "a resource kind and a grantee");
        return write(connection -> Jdbc.update(connection, "DELETE FROM auth_grants WHERE resource_kind = ? AND resource = ?"
                + " AND grantee_kind = ? AND grantee = ?", kind.name(), resource, grantee.kind().name(), grantee.name()) == 1);
    }

    @Override
    public List<Grant> grants(ResourceKind kind, String resource) {
        name("resource", resource);
        String key = kind.name() + "\u0000" + resource;
        // The counter seen before reading: a change that lands during the read makes this entry unusable.
        long seen = changes();
        CachedGrants cached = grantCache.get(key);
        if (cached != null && cached.changes() == seen) return cached.grants();
        List<Grant> grants = List.copyOf(database.read(connection -> Jdbc.query(connection, "SELECT resource_kind, resource, grantee_kind,"
                + " grantee, permission FROM auth_grants WHERE resource_kind = ? AND resource = ? ORDER BY grantee_kind, grantee",
                JdbcAuthStore::grant, kind.name(), resource)));
        if (grantCache.size() > 10_000) grantCache.clear();
        grantCache.put(key, new CachedGrants(grants, seen));
        return grants;
    }

    @Override
    public List<Grant> grantsTo(ResourceKind kind, Collection<Grantee> grantees) {
        if (grantees.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT resource_kind, resource, grantee_kind, grantee, permission FROM auth_grants"
                + " WHERE resource_kind = ? AND (");
        List<Object> params = new ArrayList<>();
        params.add(kind.name());
        int i = 0;
        for (Grantee grantee : grantees) {
            if (i++ > 0) sql.append(" OR ");
            sql.append("(grantee_kind = ? AND grantee = ?)");
            params.add(grantee.kind().name());
            params.add(grantee.name());
        }
        sql.append(") ORDER BY resource, grantee_kind, grantee");
        return database.read(connection -> Jdbc.query(connection, sql.toString(), JdbcAuthStore::grant, params));
    }

    @Override
    public void deleteGrants(ResourceKind kind, String resource) {
        name("resource", resource);
        write(connection -> Jdbc.update(connection, "DELETE FROM auth_grants WHERE resource_kind = ? AND resource = ?",
                kind.name(), resource));
    }

    @Override
    public void renameGrants(ResourceKind kind, String from, String to) {
        name("resource", from);
        name("resource", to);
        if (kind == null) throw CairnException.invalid("resource_kind", null, "a resource kind");
        if (from.equals(to)) return;
        write(connection -> {
            Jdbc.update(connection, "DELETE FROM auth_grants WHERE resource_kind = ? AND resource = ?", kind.name(), to);
            return Jdbc.update(connection, "UPDATE auth_grants SET resource = ? WHERE resource_kind = ? AND resource = ?",
                    to, kind.name(), from);
        });
    }

    private static Optional<Account> findAccount(Connection connection, String name) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + ACCOUNT_COLUMNS + " FROM auth_accounts WHERE name = ?", JdbcAuthStore::account, name);
    }

    private static Account requireAccount(Connection connection, String name) throws SQLException {
        return findAccount(connection, name).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "Account '" + name + "' does not exist", Map.of("name", name)));
    }

    private static boolean groupExists(Connection connection, String name) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT 1 FROM auth_groups WHERE name = ?", row -> true, name).isPresent();
    }

    private static void requireGroup(Connection connection, String name) throws SQLException {
        if (!groupExists(connection, name)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Group '" + name + "' does not exist", Map.of("group", name));
        }
    }

    private static Optional<ApiToken> findToken(Connection connection, String id) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + TOKEN_COLUMNS + " FROM auth_tokens WHERE id = ?", JdbcAuthStore::token, id);
    }

    private static Optional<Session> findSession(Connection connection, String sha256) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + SESSION_COLUMNS + " FROM auth_sessions WHERE sha256 = ?", JdbcAuthStore::session, sha256);
    }

    private static Session session(ResultSet row) throws SQLException {
        return new Session(row.getString("account"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("expires_at")), Instant.ofEpochMilli(row.getLong("last_seen_at")));
    }

    /** A SHA-256 in lower-case hex; the value is never echoed (it is derived from a secret). */
    private static void sha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw CairnException.invalid("sha256", "(not shown)", "a SHA-256 in lower-case hex (64 characters)");
        }
    }

    private static Account account(ResultSet row) throws SQLException {
        return new Account(row.getString("name"), Account.Kind.valueOf(row.getString("kind")), row.getInt("admin") != 0,
                row.getBoolean("has_password"), Instant.ofEpochMilli(row.getLong("created_at")));
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        return new ApiToken(row.getString("id"), row.getString("account"), row.getString("description"),
                Permission.valueOf(row.getString("scope")), Instant.ofEpochMilli(row.getLong("created_at")),
                instant(row, "expires_at"), instant(row, "revoked_at"));
    }

    private static Grant grant(ResultSet row) throws SQLException {
        return new Grant(ResourceKind.valueOf(row.getString("resource_kind")), row.getString("resource"),
                new Grantee(Grantee.Kind.valueOf(row.getString("grantee_kind")), row.getString("grantee")),
                Permission.valueOf(row.getString("permission")));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Jdbc.nullableLong(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** A name of an account, group, token or resource: non-blank, bounded, without control characters. */
    static String name(String field, String value) {
        if (value == null || value.isBlank()) throw CairnException.invalid(field, value, "a non-blank name");
        if (value.length() > MAX_NAME_LENGTH) {
            throw CairnException.invalid(field, value.substring(0, 32) + "…", "at most " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw CairnException.invalid(field, value.replaceAll("\\p{Cntrl}", "?"), "a name without control characters");
            }
        }
        return value;
    }
}

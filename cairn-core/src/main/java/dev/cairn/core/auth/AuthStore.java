package dev.cairn.core.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts with their password hashes, API tokens and web UI sessions (both stored as hashes), groups and grants. The
 * store keeps what it is given: hashing passwords, tokens and session ids is the caller's (the server's), so no
 * secret ever reaches this interface.
 * Names are checked by the store (non-blank, at most 256 characters, no control characters).
 */
public interface AuthStore {

    /** Creates an account; RESOURCE_ALREADY_EXISTS when the name is taken. {@code passwordHash} may be null. */
    Account createAccount(String name, Account.Kind kind, String passwordHash, boolean admin);

    Optional<Account> account(String name);

    List<Account> accounts();

    /** The stored password hash, empty for an unknown account or one without a password. */
    Optional<String> passwordHash(String name);

    /**
     * Sets (or with null removes) an account's password hash, ending every web UI session of the account in the same
     * transaction (whoever logged in with the old password is logged out); RESOURCE_DOES_NOT_EXIST for an unknown account.
     */
    void setPasswordHash(String name, String passwordHash);

    void setAdmin(String name, boolean admin);

    /** Removes the account with its tokens, sessions, memberships and grants to it; RESOURCE_DOES_NOT_EXIST when unknown. */
    void deleteAccount(String name);

    /** True when at least one admin account exists (so the first start's bootstrap has been done). */
    boolean anyAdmin();

    /** Stores a new token by the SHA-256 (lower-case hex) of its secret; the account must exist. */
    ApiToken createToken(ApiToken token, String sha256);

    /** The token whose secret has this SHA-256, revoked and expired ones included (the caller checks). */
    Optional<ApiToken> tokenByHash(String sha256);

    Optional<ApiToken> token(String id);

    List<ApiToken> tokens(String account);

    /** Marks the token revoked now; false when it was unknown or already revoked. */
    boolean revokeToken(String id);

    /**
     * Stores a new web UI session by the SHA-256 (lower-case hex) of its id; the account must exist. It was last seen
     * when it was created.
     */
    Session createSession(String sha256, String account, Instant createdAt, Instant expiresAt);

    /** The session whose id has this SHA-256, ended ones included (the caller checks); empty for a malformed hash. */
    Optional<Session> sessionByHash(String sha256);

    /** Records that the session was used at {@code lastSeen} (never moving it back); false when it is unknown. */
    boolean touchSession(String sha256, Instant lastSeen);

    /** Removes one session (a logout); false when it was unknown. */
    boolean deleteSession(String sha256);

    /** Removes every session of an account (logged out everywhere); how many there were. */
    int deleteSessions(String account);

    /** Removes the sessions past their absolute end at {@code now} or not used since {@code idleSince}; how many. */
    int deleteEndedSessions(Instant now, Instant idleSince);

    /** Creates a group; RESOURCE_ALREADY_EXISTS when it exists. */
    void createGroup(String name);

    /** Removes a group with its memberships and its grants. */
    void deleteGroup(String name);

    List<String> groups();

    /** Adds an account to a group (both must exist); adding twice changes nothing. */
    void addMember(String group, String account);

    void removeMember(String group, String account);

    List<String> members(String group);

    Set<String> groupsOf(String account);

    /** Sets the grant's permission, replacing any grant of the same resource to the same grantee. */
    void putGrant(Grant grant);

    /** Removes the grant of a resource to a grantee; false when there was none. */
    boolean deleteGrant(ResourceKind kind, String resource, Grantee grantee);

    /**
     * A number that moves with every change to accounts, tokens, groups, admins or grants made through any store
     * sharing this one's database (not with sessions, which nothing caches). Callers keep what they verified while it
     * stays put: a change made through this store is seen at once, another server's within about a second.
     */
    long changes();

    /** Every grant on one resource. */
    List<Grant> grants(ResourceKind kind, String resource);

    /** Every grant to any of {@code grantees} on resources of one kind (for filtering listings). */
    List<Grant> grantsTo(ResourceKind kind, Collection<Grantee> grantees);

    /** Removes every grant on a resource (it was deleted for good). */
    void deleteGrants(ResourceKind kind, String resource);

    /**
     * Moves every grant on resource {@code from} to {@code to} (it was renamed), in one step: grants left on
     * {@code to} by a resource of that name deleted earlier are dropped first, and {@code from} keeps none.
     */
    void renameGrants(ResourceKind kind, String from, String to);

    /**
     * The permission a grant gives {@code account} (directly, or through {@code groups}) on one resource: a grant
     * to the account itself wins, so that an owner can restrict one member of a team; else the strongest grant to
     * one of its groups; empty when neither has a grant (the caller applies its default).
     */
    default Optional<Permission> permission(ResourceKind kind, String resource, String account, Set<String> groups) {
        // Loops rather than streams: this runs on every authorized request (the grants themselves come from a cache).
        Permission strongestOfGroups = null;
        for (Grant g : grants(kind, resource)) {
            if (g.grantee().kind() == Grantee.Kind.USER) {
                if (g.grantee().name().equals(account)) return Optional.of(g.permission());
            } else if (groups.contains(g.grantee().name())
                    && (strongestOfGroups == null || g.permission().compareTo(strongestOfGroups) > 0)) {
                strongestOfGroups = g.permission();
            }
        }
        return Optional.ofNullable(strongestOfGroups);
    }

    /**
     * The strongest of some permissions, in the enum's order (MANAGE, EDIT, READ, INVOKE): a member of a group that
     * may invoke a deployment and of one that may read it gets READ, as READ is the more trusted of the two.
     */
    static Optional<Permission> strongest(Collection<Permission> permissions) {
        return permissions.stream().max(Comparator.naturalOrder());
    }

    /** A map of resource to the permission {@link #permission} would answer, for every resource with a grant. */
    default Map<String, Permission> permissions(ResourceKind kind, String account, Set<String> groups) {
        List<Grantee> grantees = new ArrayList<>();
        grantees.add(Grantee.user(account));
        groups.forEach(g -> grantees.add(Grantee.group(g)));
        Map<String, List<Grant>> byResource = new HashMap<>();
        for (Grant grant : grantsTo(kind, grantees)) {
            byResource.computeIfAbsent(grant.resource(), r -> new ArrayList<>()).add(grant);
        }
        Map<String, Permission> out = new HashMap<>();
        byResource.forEach((resource, list) -> {
            Optional<Permission> own = list.stream().filter(g -> g.grantee().kind() == Grantee.Kind.USER)
                    .map(Grant::permission).findFirst();
            out.put(resource, own.orElseGet(() -> strongest(list.stream().map(Grant::permission).toList()).orElseThrow()));
        });
        return out;
    }
}

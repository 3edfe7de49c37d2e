package dev.cairn.server.auth;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a request's {@code Authorization} header into a {@link Principal}: none is anonymous; {@code Basic} is a
 * user's name and password (MLflow clients send them from {@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD});
 * {@code Bearer cairn_…} is an API token ({@code MLFLOW_TRACKING_TOKEN}). Anything else, or credentials that do not
 * verify, is UNAUTHENTICATED with one message that does not say which part was wrong nor echo the secret. The web UI's
 * login form checks its user name and password here too ({@link #login}), under the same rate limit.
 *
 * <p>Verified credentials are cached (by the SHA-256 of the header, never the secret itself) for a short time,
 * because MLflow clients send the password with every request and Argon2 is deliberately slow. Any change to
 * accounts, tokens or groups made through this server empties the cache at once ({@link #invalidate}), so a
 * revoked token or a changed password stops working immediately here; another server sharing the database sees
 * the change within about a second ({@link AuthStore#changes}, the database's change counter, moves), and nothing
 * is cached longer than {@code ttl} in any case.
 */
public final class Authenticator {

    static final String INVALID = "Invalid credentials";

    private record Cached(Principal principal, long generation, long at, java.time.Instant expiresAt) {}

    private final AuthStore store;
    private final Passwords passwords;
    private final LoginLimiter limiter;
    private final Clock clock;
    private final Duration ttl;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final JwtVerifier jwt;

    public Authenticator(AuthStore store, Passwords passwords, LoginLimiter limiter, Clock clock, Duration ttl) {
        this(store, passwords, limiter, clock, ttl, null);
    }

    /** With {@code jwt} (may be null), bearer JWTs of an identity provider are accepted besides API tokens. */
    public Authenticator(AuthStore store, Passwords passwords, LoginLimiter limiter, Clock clock, Duration ttl, JwtVerifier jwt) {
        this.jwt = jwt;
        this.store = store;
        this.passwords = passwords;
        this.limiter = limiter;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Forgets every verified credential: called after any change to accounts, tokens, groups or admins. */
    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** The principal of a request, given its Authorization header (may be null) and the client's address. */
    public Principal authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) return new Principal.Anonymous();
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space <= 0) throw unauthenticated();
        String scheme = header.substring(0, space);
        String credentials = header.substring(space + 1).trim();
        if (credentials.isEmpty() || credentials.length() > 4096) throw unauthenticated();
        if (scheme.equalsIgnoreCase("Basic")) return basic(credentials, address);
        if (scheme.equalsIgnoreCase("Bearer")) return bearer(credentials);
        throw unauthenticated();
    }

    private Principal basic(String credentials, String address) {
        String decoded = decodeBasic(credentials);
        int colon = decoded.indexOf(':');
        if (colon <= 0) throw unauthenticated();
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (hasControl(user) || user.length() > 256) throw unauthenticated();
        limiter.check(user, address);
        String key = "basic:" + ApiTokens.sha256(decoded);
        Optional<Principal> cached = cached(key);
        if (cached.isPresent()) return cached.get();
        long seen = generation();
        Principal principal = verify(user, password, address);
        remember(key, principal, seen, null);
        return principal;
    }

    /**
     * The web UI's login form: the same check as Basic credentials (the rate limit, Argon2id, one message whatever
     * was wrong), never answered from the cache, since a login happens once and must see the current password.
     */
    public Principal login(String user, String password, String address) {
        if (user == null || user.isEmpty() || hasControl(user) || user.length() > 256 || password == null) throw unauthenticated();
        limiter.check(user, address);
        return verify(user, password, address);
    }

    /** Verifies a user's password, counting the failures of the pair (user, address) for the rate limit. */
    private Principal verify(String user, String password, String address) {
        Optional<String> hash = store.passwordHash(user);
        if (hash.isEmpty()) {
            passwords.verifyNothing(password);
            limiter.failed(user, address);
            throw unauthenticated();
        }
        if (!passwords.matches(password, hash.get())) {
            limiter.failed(user, address);
            throw unauthenticated();
        }
        limiter.succeeded(user, address);
        Account account = store.account(user).orElseThrow(Authenticator::unauthenticated);
        return principal(account, Permission.MANAGE);
    }

    /**
     * The principal of an account a web UI session stands for, read afresh (groups and admin flag as they are now);
     * empty when the account is gone. A password login has the full scope.
     */
    Optional<Principal> ofAccount(String name) {
        return store.account(name).map(account -> principal(account, Permission.MANAGE));
    }

    private Principal bearer(String token) {
        if (jwt != null && !ApiTokens.looksLikeToken(token) && JwtVerifier.looksLikeJwt(token)) return jwt(token);
        if (!ApiTokens.looksLikeToken(token)) throw unauthenticated();
        String sha256 = ApiTokens.sha256(token);
        String key = "token:" + sha256;
        Optional<Principal> cached = cached(key);
        if (cached.isPresent()) return cached.get();
        long seen = generation();
        ApiToken stored = store.tokenByHash(sha256).orElseThrow(Authenticator::unauthenticated);
        if (!stored.usableAt(clock.instant())) throw unauthenticated();
        Account account = store.account(stored.account()).orElseThrow(Authenticator::unauthenticated);
        Principal principal = principal(account, stored.scope());
        remember(key, principal, seen, stored.expiresAt());
        return principal;
    }

    /**
     * The principal of a verified JWT: the user its claim names, in the groups its groups claim lists and in those the
     * store gives an account of that name (which also says whether it is an admin). Cached until it expires, at most
     * the cache's time to live, like any verified credential.
     */
    private Principal jwt(String token) {
        String key = "jwt:" + ApiTokens.sha256(token);
        Optional<Principal> cached = cached(key);
        if (cached.isPresent()) return cached.get();
        long seen = generation();
        JwtVerifier.Verified verified = jwt.verify(token).orElseThrow(Authenticator::unauthenticated);
        if (!clock.instant().isBefore(verified.expiresAt())) throw unauthenticated();
        Set<String> groups = new TreeSet<>(verified.groups());
        Optional<Account> account = store.account(verified.user());
        account.ifPresent(a -> groups.addAll(store.groupsOf(a.name())));
        boolean admin = account.map(Account::admin).orElse(false);
        Principal principal = account.map(a -> a.kind() == Account.Kind.SERVICE_ACCOUNT).orElse(false)
                ? new Principal.ServiceAccount(verified.user(), groups, admin, Permission.MANAGE)
                : new Principal.User(verified.user(), groups, admin, Permission.MANAGE);
        remember(key, principal, seen, verified.expiresAt());
        return principal;
    }

    /** The principal of a name a trusted proxy vouches for: its account's groups and admin flag, or none if unknown. */
    public Principal vouched(String name) {
        return store.account(name).map(account -> principal(account, Permission.MANAGE))
                .orElseGet(() -> new Principal.User(name, java.util.Set.of(), false, Permission.MANAGE));
    }

    private Principal principal(Account account, Permission scope) {
        var groups = store.groupsOf(account.name());
        return account.kind() == Account.Kind.SERVICE_ACCOUNT
                ? new Principal.ServiceAccount(account.name(), groups, account.admin(), scope)
                : new Principal.User(account.name(), groups, account.admin(), scope);
    }

    /**
     * Where this server's invalidations and the store's change counter stand, as one number: both only grow, so their
     * sum moves whenever either does.
     */
    private long generation() {
        return generation.get() + store.changes();
    }

    private Optional<Principal> cached(String key) {
        Cached c = cache.get(key);
        if (c == null) return Optional.empty();
        long now = clock.millis();
        if (c.generation() != generation() || now - c.at() >= ttl.toMillis()
                || (c.expiresAt() != null && !clock.instant().isBefore(c.expiresAt()))) {
            cache.remove(key, c);
            return Optional.empty();
        }
        return Optional.of(c.principal());
    }

    /**
     * Caches a verification unless something changed since it began (the generation moved): a revocation that
     * raced with the lookup must not be undone by caching what the lookup saw before it.
     */
    private void remember(String key, Principal principal, long seen, java.time.Instant expiresAt) {
        if (cache.size() > 10_000) cache.clear();
        Cached entry = new Cached(principal, seen, clock.millis(), expiresAt);
        cache.put(key, entry);
        if (generation() != seen) cache.remove(key, entry);
    }

    private static String decodeBasic(String credentials) {
        try {
            byte[] bytes = Base64.getDecoder().decode(credentials);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw unauthenticated();
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    static CairnException unauthenticated() {
        return new CairnException(ErrorCode.UNAUTHENTICATED, INVALID);
    }
}

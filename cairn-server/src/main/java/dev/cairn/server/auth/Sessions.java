package dev.cairn.server.auth;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Session;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Web UI sessions: after a person logs in through the UI's form, a random id of 256 bits in the {@value #COOKIE}
 * cookie stands for the login. The store keeps only the id's SHA-256 (as for API tokens: a fast hash suffices for 256
 * random bits), in the database rather than in memory, so that servers sharing a database share the sessions and a
 * logout, a password change or a deleted account ends them everywhere at once. Each use reads the session (one
 * lookup by key) and records the use at most once a minute. The id is never logged, cached or put in a message.
 */
final class Sessions {

    static final String COOKIE = "cairn_session";
    /** How often a session in use records its last use: the idle timeout is counted from that. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthStore store;
    private final SessionSettings settings;
    private final Clock clock;

    Sessions(AuthStore store, SessionSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A new session of {@code account}: its id, for the cookie only. Removes the sessions that ended first, so that
     * the table holds about as many rows as there are people logged in.
     */
    String open(String account) {
        Instant now = clock.instant();
        store.deleteEndedSessions(now, now.minus(settings.idle()));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.createSession(ApiTokens.sha256(id), account, now, now.plus(settings.ttl()));
        return id;
    }

    /**
     * The account a session id stands for while the session lasts; empty for an unknown, malformed or ended id (an
     * ended session is removed on the way).
     */
    Optional<String> account(String id) {
        if (id == null || !FORMAT.matcher(id).matches()) return Optional.empty();
        String sha256 = ApiTokens.sha256(id);
        Optional<Session> found = store.sessionByHash(sha256);
        if (found.isEmpty()) return Optional.empty();
        Session session = found.get();
        Instant now = clock.instant();
        if (!session.usableAt(now, settings.idle())) {
            store.deleteSession(sha256);
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(TOUCH_EVERY))) store.touchSession(sha256, now);
        return Optional.of(session.account());
    }

    /** Ends the session (a logout, or the session a new login replaces); nothing happens for an unknown id. */
    void close(String id) {
        if (id != null && FORMAT.matcher(id).matches()) store.deleteSession(ApiTokens.sha256(id));
    }

    /**
     * The cookie that carries a new session id: sent back on every request to this site (Path=/, though only the UI's
     * routes accept it), hidden from scripts (HttpOnly), over HTTPS only when the login came over HTTPS (Secure), and
     * never on requests other sites start except top-level navigations (SameSite=Lax, see docs/security.md). No
     * Max-Age: the browser forgets it when it closes, the server when the session ends.
     */
    static String cookie(String id, boolean secure) {
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** The cookie that makes the browser forget its session id. */
    static String clearing(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}

package dev.cairn.server.auth;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code maxFailures} failed logins of one user from one address within
 * {@code window}, further attempts of that pair are refused with 429 until the window has passed, whether or not
 * the password is right (so the attacker learns nothing while blocked). A success clears the pair's count. The
 * table forgets pairs whose window passed, so it cannot grow without bound.
 */
public final class LoginLimiter {

    private record Failures(long windowStart, int count) {}

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    public static LoginLimiter standard() {
        return new LoginLimiter(5, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /** Refuses the attempt while the pair is blocked. */
    void check(String user, String address) {
        Failures f = failures.get(key(user, address));
        long now = clock.millis();
        if (f != null && f.count() >= maxFailures && now - f.windowStart() < window.toMillis()) {
            long retry = Math.max(1, (f.windowStart() + window.toMillis() - now + 999) / 1000);
            throw new CairnException(ErrorCode.REQUEST_LIMIT_EXCEEDED, "Too many failed logins for this user from this address: "
                    + "try again in " + retry + " s", Map.of("retry_after_seconds", retry));
        }
    }

    void failed(String user, String address) {
        long now = clock.millis();
        if (failures.size() > 10_000) failures.values().removeIf(f -> now - f.windowStart() >= window.toMillis());
        failures.compute(key(user, address), (k, f) -> f == null || now - f.windowStart() >= window.toMillis()
                ? new Failures(now, 1) : new Failures(f.windowStart(), f.count() + 1));
    }

    void succeeded(String user, String address) {
        failures.remove(key(user, address));
    }

    private static String key(String user, String address) {
        return user + "\n" + address;
    }
}

package dev.cairn.core.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * What is kept of a web UI session: never its id (the browser's cookie), only the SHA-256 of it (in the store) and
 * these facts. {@code expiresAt} is the absolute end, fixed at login; {@code lastSeenAt} is when the session was last
 * used (the server records it at most once a minute), from which the server's idle timeout counts.
 */
public record Session(String account, Instant createdAt, Instant expiresAt, Instant lastSeenAt) {

    /** True when the session may be used at {@code now}: before its absolute end and used within {@code idle}. */
    public boolean usableAt(Instant now, Duration idle) {
        return now.isBefore(expiresAt) && now.isBefore(lastSeenAt.plus(idle));
    }
}

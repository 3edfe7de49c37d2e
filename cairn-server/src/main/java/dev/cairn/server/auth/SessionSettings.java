package dev.cairn.server.auth;

import dev.cairn.core.error.CairnException;
import java.time.Duration;

/**
 * How long a web UI login lasts: at most {@code ttl} from the login, whatever happens ({@code --session-ttl}, default
 * 12 h), and until {@code idle} passes without a request ({@code --session-idle-timeout}, default 1 h). Both are at
 * least five minutes (a session's last use is recorded at most once a minute, so a shorter idle timeout could end a
 * session in use) and at most 30 days. Servers sharing a database should share these settings: each removes the
 * sessions that ended by its own.
 */
public record SessionSettings(Duration ttl, Duration idle) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(12);
    public static final Duration DEFAULT_IDLE = Duration.ofHours(1);
    static final Duration MIN = Duration.ofMinutes(5);
    static final Duration MAX = Duration.ofDays(30);

    public SessionSettings {
        if (ttl == null) ttl = DEFAULT_TTL;
        if (idle == null) idle = DEFAULT_IDLE;
        check("--session-ttl", ttl);
        check("--session-idle-timeout", idle);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(DEFAULT_TTL, DEFAULT_IDLE);
    }

    private static void check(String option, Duration value) {
        if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
            throw CairnException.invalid(option, value, "a duration from 5 minutes to 30 days, such as 12h, 90m or PT1H");
        }
    }
}

package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a step is tried when it fails transiently, and how long to wait between tries: {@code backoff} before
 * the second attempt, multiplied by {@code factor} before each one after, never more than {@code maxBackoff}.
 * {@code attempts} counts every try, the first included: 1 means no retry.
 */
public record Retry(int attempts, Duration backoff, double factor, Duration maxBackoff) {
    public static final int MAX_ATTEMPTS = 20;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
    public static final double DEFAULT_FACTOR = 2.0;
    public static final double MAX_FACTOR = 10.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
    /** One attempt: a step without {@code retry}. */
    public static final Retry NONE = new Retry(1, DEFAULT_BACKOFF, DEFAULT_FACTOR, DEFAULT_MAX_BACKOFF);

    public Retry {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) throw CairnException.invalid("retry.attempts", attempts, "1 to " + MAX_ATTEMPTS);
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (backoff.isNegative()) throw CairnException.invalid("retry.backoff", backoff, "a duration of zero or more");
        if (!(factor >= 1 && factor <= MAX_FACTOR)) throw CairnException.invalid("retry.factor", factor, "a number from 1 to " + MAX_FACTOR);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw CairnException.invalid("retry.max_backoff", maxBackoff, "at least the backoff (" + backoff + ")");
        }
    }

    /** The wait before attempt {@code attempt} (2 is the first retry); zero before the first. */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) return Duration.ZERO;
        double millis = backoff.toMillis() * Math.pow(factor, attempt - 2);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
    }
}

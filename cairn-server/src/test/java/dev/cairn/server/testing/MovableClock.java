package dev.cairn.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it, for the server's tests that give one clock to monitoring, the
 * pipeline engine, the scheduler and sessions: the test moves it, their threads read it, so it is safe across threads.
 * It never goes back.
 */
public final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    public MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** Moves to {@code t}, or stays where it is when something (a canary's wait) already took the clock past it. */
    public void atLeast(Instant t) {
        now.updateAndGet(current -> current.isBefore(t) ? t : current);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

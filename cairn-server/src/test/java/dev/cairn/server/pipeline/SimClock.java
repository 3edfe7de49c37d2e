package dev.cairn.server.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated month's clock, shared by monitoring, the engine and the scheduler: the test moves it, run threads
 * read it (a canary's windows end when it passes them), so it is safe across threads. It never goes back.
 */
final class SimClock extends Clock {
    private final AtomicReference<Instant> now;

    SimClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** Moves to {@code t}, or stays where it is when a canary already took the clock past it. */
    void atLeast(Instant t) {
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

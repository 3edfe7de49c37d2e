package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Overload protection and draining. At most {@code maxConcurrent} predictions run at once; a request
 * beyond that is refused at once with 503 and {@code Retry-After} instead of queueing until every
 * request is slow (the collapse a bounded server avoids). While draining, new requests are refused
 * the same way and {@link #awaitIdle} waits for the ones in flight.
 */
public final class Admission {

    private final int maxConcurrent;
    private final Semaphore permits;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ServingMetrics metrics;

    public Admission(int maxConcurrent, ServingMetrics metrics) {
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
        this.metrics = metrics;
        metrics.gauge("cairn.serving.in.flight", "Prediction requests being answered", this::inFlight);
    }

    /** Takes a permit or refuses the request with 503 and Retry-After; the caller must {@link #exit}. */
    void enter(Context ctx) {
        if (!tryEnter()) {
            metrics.rejected();
            ctx.header("Retry-After", "1");
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "The server is at its limit of " + maxConcurrent + " concurrent predictions; retry after 1 second",
                    Map.of("retry_after_seconds", 1, "max_concurrent_requests", maxConcurrent));
        }
    }

    /** Takes a permit if one is free. */
    boolean tryEnter() {
        return permits.tryAcquire();
    }

    void exit() {
        permits.release();
    }

    public int inFlight() {
        return maxConcurrent - permits.availablePermits();
    }

    public boolean isDraining() {
        return draining.get();
    }

    /** Turns readiness off ahead of a graceful stop. */
    public void startDraining() {
        draining.set(true);
    }

    /** Waits until no prediction is in flight, at most {@code millis}; true when idle. */
    public boolean awaitIdle(long millis) {
        try {
            if (permits.tryAcquire(maxConcurrent, millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                permits.release(maxConcurrent);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import java.time.Duration;

/**
 * The limits that keep one request or a burst of them from taking the server down: the largest
 * body and the most rows a request may carry (both answered with 413), how many predictions may run
 * at once (beyond it 503 with Retry-After), and how long a graceful stop waits for requests in flight.
 */
public record ServingLimits(long maxRequestBytes, int maxRows, int maxConcurrentRequests, Duration drainTimeout) {

    public static final ServingLimits DEFAULTS = new ServingLimits(8L * 1024 * 1024, 10_000,
            Math.max(16, Runtime.getRuntime().availableProcessors() * 32), Duration.ofSeconds(30));

    public ServingLimits {
        if (maxRequestBytes < 1) throw CairnException.invalid("max_request_bytes", maxRequestBytes, "a positive number of bytes");
        if (maxRows < 1) throw CairnException.invalid("max_rows", maxRows, "a positive number of rows");
        if (maxConcurrentRequests < 1) {
            throw CairnException.invalid("max_concurrent_requests", maxConcurrentRequests, "a positive number");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw CairnException.invalid("drain_timeout", drainTimeout, "a duration of zero or more");
        }
    }

    public ServingLimits withMaxRows(int rows) {
        return new ServingLimits(maxRequestBytes, rows, maxConcurrentRequests, drainTimeout);
    }

    public ServingLimits withMaxRequestBytes(long bytes) {
        return new ServingLimits(bytes, maxRows, maxConcurrentRequests, drainTimeout);
    }

    public ServingLimits withMaxConcurrentRequests(int requests) {
        return new ServingLimits(maxRequestBytes, maxRows, requests, drainTimeout);
    }
}

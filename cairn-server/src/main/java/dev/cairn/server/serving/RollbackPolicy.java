package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;

/**
 * When to take traffic back from a canary: over the last {@code windowSeconds}, once both the
 * stable version and the canary have answered at least {@code minRequests}, a canary whose error
 * rate exceeds the stable one's by more than {@code maxErrorRateIncrease} (absolute, 0.05 = five
 * points) or whose p99 latency exceeds the stable one's times {@code maxLatencyRatio} is given
 * weight 0 and the stable version all traffic.
 */
public record RollbackPolicy(double maxErrorRateIncrease, double maxLatencyRatio, int windowSeconds, int minRequests) {

    public static final RollbackPolicy DEFAULT = new RollbackPolicy(0.05, 2.0, 60, 50);

    public RollbackPolicy {
        if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
            throw CairnException.invalid("rollback.max_error_rate_increase", maxErrorRateIncrease, "a fraction from 0 to 1");
        }
        if (!(maxLatencyRatio >= 1)) throw CairnException.invalid("rollback.max_latency_ratio", maxLatencyRatio, "a ratio of 1 or more");
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw CairnException.invalid("rollback.window_seconds", windowSeconds, "from 1 to 86400 seconds");
        }
        if (minRequests < 1) throw CairnException.invalid("rollback.min_requests", minRequests, "a positive number of requests");
    }
}

package dev.cairn.server.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches canaries: for each deployment with a {@link RollbackPolicy} and a canary taking traffic,
 * compares the canary's error rate and p99 latency over the policy's window with the stable
 * version's and rolls the deployment back when the canary is worse by more than the margin. Run
 * every second by the serving scheduler; {@link #evaluate} is also callable directly.
 */
public final class RollbackMonitor {

    private final Deployments deployments;

    public RollbackMonitor(Deployments deployments) {
        this.deployments = deployments;
    }

    /** Checks every deployment now; returns the names of those rolled back. */
    public List<String> evaluate() {
        List<String> rolledBack = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Deployment d : deployments.all()) {
            RollbackPolicy policy = d.spec().rollback();
            if (policy == null || d.routes().size() < 2) continue;
            String reason = verdict(d, policy, now);
            if (reason != null) {
                deployments.rollback(d.name(), reason);
                rolledBack.add(d.name());
            }
        }
        return rolledBack;
    }

    static String verdict(Deployment d, RollbackPolicy policy, long now) {
        Deployment.Route stable = d.stable();
        WindowStats.Snapshot base = stable.window().snapshot(now);
        if (base.requests() < policy.minRequests()) return null;
        for (Deployment.Route canary : d.routes().subList(1, d.routes().size())) {
            if (canary.weight() == 0) continue;
            WindowStats.Snapshot c = canary.window().snapshot(now);
            if (c.requests() < policy.minRequests()) continue;
            String who = canary.model().name() + " version " + canary.model().version();
            if (c.errorRate() - base.errorRate() > policy.maxErrorRateIncrease()) {
                return String.format(Locale.ROOT,
                        "canary %s error rate %.4f exceeds stable version %s's %.4f by more than %.4f over %d s (%d and %d requests)",
                        who, c.errorRate(), stable.model().version(), base.errorRate(), policy.maxErrorRateIncrease(),
                        policy.windowSeconds(), c.requests(), base.requests());
            }
            if (c.p99Millis() > base.p99Millis() * policy.maxLatencyRatio()) {
                return String.format(Locale.ROOT,
                        "canary %s p99 latency %.3f ms exceeds %.1f x stable version %s's %.3f ms over %d s",
                        who, c.p99Millis(), policy.maxLatencyRatio(), stable.model().version(), base.p99Millis(),
                        policy.windowSeconds());
            }
        }
        return null;
    }
}

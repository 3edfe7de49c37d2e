package dev.cairn.server.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.server.serving.RollbackPolicy;
import dev.cairn.server.serving.WindowStats;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A canary step's gates: the evidence a window needs ({@code min_requests}) and the limits the candidate's traffic must
 * keep ({@code max_error_rate}: the share of its requests that failed, refused inputs included, as the server's automatic
 * rollback counts them; {@code max_latency_ms}: the p95 of its request latencies; {@code min_precision}: its realized
 * precision once labels have joined its predictions). A gate not given is not checked.
 */
record CanaryGates(long minRequests, Double maxErrorRate, Double maxLatencyMs, Double minPrecision) {

    /** As much evidence as the server's automatic rollback waits for, unless the step says otherwise. */
    static final long DEFAULT_MIN_REQUESTS = RollbackPolicy.DEFAULT.minRequests();

    static CanaryGates of(StepContext context) {
        long minRequests = context.integer("min_requests").orElse(DEFAULT_MIN_REQUESTS);
        if (minRequests < 1) throw CairnException.invalid(context.field("min_requests"), minRequests, "a positive number of requests");
        Double maxErrorRate = fraction(context, "max_error_rate");
        Double maxLatency = context.number("max_latency_ms").orElse(null);
        if (maxLatency != null && !(maxLatency > 0 && Double.isFinite(maxLatency))) {
            throw CairnException.invalid(context.field("max_latency_ms"), maxLatency, "a positive number of milliseconds");
        }
        return new CanaryGates(minRequests, maxErrorRate, maxLatency, fraction(context, "min_precision"));
    }

    private static Double fraction(StepContext context, String key) {
        Double v = context.number(key).orElse(null);
        if (v != null && !(v >= 0 && v <= 1)) throw CairnException.invalid(context.field(key), v, "a fraction from 0 to 1");
        return v;
    }

    /** The first of the traffic gates {@code seen} fails, named with its value and threshold; null when they hold. */
    String failedTraffic(WindowStats.Totals seen) {
        if (maxErrorRate != null && seen.errorRate() > maxErrorRate) {
            return String.format(Locale.ROOT, "max_error_rate: the candidate's error rate %.4f (%d of %d requests failed) is above %s",
                    seen.errorRate(), seen.errors(), seen.requests(), number(maxErrorRate));
        }
        if (maxLatencyMs != null && p95(seen) > maxLatencyMs) {
            return String.format(Locale.ROOT, "max_latency_ms: the candidate's p95 latency %.3f ms (over %d requests) is above %s ms",
                    p95(seen), seen.requests(), number(maxLatencyMs));
        }
        return null;
    }

    /** The precision gate against the evidence so far: the failure, or null when it holds or there are no labels yet. */
    String failedPrecision(RealizedPrecision.Evidence evidence) {
        if (minPrecision == null || evidence == null || evidence.precision() == null) return null;
        if (evidence.precision() < minPrecision) {
            return String.format(Locale.ROOT, "min_precision: the candidate's realized precision %.4f (%d of %d positive predictions "
                    + "right, %d labeled rows) is below %s", evidence.precision(), evidence.truePositives(),
                    evidence.truePositives() + evidence.falsePositives(), evidence.labeled(), number(minPrecision));
        }
        return null;
    }

    /** The window's traffic in a few words, for the log and the promotion's reason. */
    String describe(WindowStats.Totals seen) {
        return String.format(Locale.ROOT, "%d requests, error rate %.4f%s, p95 latency %.3f ms%s", seen.requests(), seen.errorRate(),
                maxErrorRate == null ? "" : " (max " + number(maxErrorRate) + ")", p95(seen),
                maxLatencyMs == null ? "" : " (max " + number(maxLatencyMs) + ")");
    }

    static double p95(WindowStats.Totals seen) {
        return seen.percentileMillis(0.95);
    }

    /** 0.0001 rather than 1.0E-4, 50 rather than 50.0: as a spec would write it. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

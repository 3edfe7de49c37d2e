package dev.cairn.monitor.report;

import dev.cairn.core.error.CairnException;
import java.time.Instant;

/**
 * One alert transition as the report shows it: rule {@code rule} went {@code FIRING} or {@code RESOLVED}
 * in the window [{@code windowStart}, {@code windowEnd}) because {@code metric} was {@code value}, compared
 * ({@code comparison}, e.g. {@code >} or {@code <=}) with {@code threshold}. {@code value} is null when the
 * metric had no value (e.g. an alert resolved because its window no longer exists).
 */
public record ReportAlert(String rule, String state, String severity, String metric, Double value, Double threshold, String comparison,
                          Instant windowStart, Instant windowEnd) {
    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    public ReportAlert {
        if (rule == null || rule.isBlank()) throw CairnException.invalid("alerts.rule", rule, "the name of an alert rule");
        if (!FIRING.equals(state) && !RESOLVED.equals(state)) throw CairnException.invalid("alerts.state", state, "FIRING or RESOLVED");
        if (windowStart == null || windowEnd == null || windowEnd.isBefore(windowStart)) {
            throw CairnException.invalid("alerts.window_end", windowEnd, "an instant at or after window_start (" + windowStart + ")");
        }
    }

    public boolean firing() {
        return FIRING.equals(state);
    }
}

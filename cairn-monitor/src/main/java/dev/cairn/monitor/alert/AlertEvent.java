package dev.cairn.monitor.alert;

import dev.cairn.monitor.MonitorJson;
import dev.cairn.monitor.WindowMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One transition of one alert: a rule started firing for a deployment, or its firing episode resolved.
 * As JSON (the webhook body, see {@link #toJson()}):
 * <pre>
 * {"id": "6f1c…", "deployment": "credit", "model": "credit-risk", "model_version": "3",
 *  "rule": "precision-estimate", "state": "FIRING", "severity": "critical", "metric": "estimated.precision",
 *  "comparison": "&lt;", "threshold": 0.7, "value": 0.62,
 *  "window_start": "2025-03-02T00:00:00Z", "window_end": "2025-03-03T00:00:00Z",
 *  "episode_started": "2025-03-02T00:00:00Z", "description": "…"}
 * </pre>
 * {@code value} is the value in the window that caused the transition (absent only when a firing rule was
 * removed from the configuration); {@code description} is absent when the rule has none.
 *
 * @param id             the same for the same deployment, rule, episode and state ({@link #idOf}), so a
 *                       receiver can drop a re-delivered event
 * @param episodeStarted the start of the window that made the alert fire; the same in an episode's FIRING
 *                       and RESOLVED events
 */
public record AlertEvent(String id, String deployment, String model, String modelVersion, String rule, AlertState state,
                         AlertSeverity severity, String metric, Comparison comparison, double threshold, Double value,
                         Instant windowStart, Instant windowEnd, Instant episodeStarted, String description) {

    /** The event of {@code rule} changing to {@code state} in {@code window}. */
    static AlertEvent of(AlertState state, AlertRule rule, WindowMetrics window, Double value, Instant episodeStarted) {
        return new AlertEvent(idOf(window.deployment(), rule.name(), episodeStarted, state), window.deployment(),
                window.model(), window.modelVersion(), rule.name(), state, rule.severity(), rule.metric(), rule.comparison(),
                rule.threshold(), value, window.start(), window.end(), episodeStarted, rule.description());
    }

    /**
     * A name-based (version 3) UUID of deployment, rule, episode start and state: deterministic, so an event
     * produced again (a state file lost, a delivery retried) carries the id the receiver has seen.
     */
    public static String idOf(String deployment, String rule, Instant episodeStarted, AlertState state) {
        String key = deployment + "\n" + rule + "\n" + episodeStarted + "\n" + state;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public boolean firing() {
        return state == AlertState.FIRING;
    }

    /** The event as the webhook body: snake_case JSON, instants in ISO-8601. */
    public String toJson() {
        return MonitorJson.write(MonitorJson.COMPACT, this);
    }

    public static AlertEvent fromJson(String json) {
        return MonitorJson.read(json, AlertEvent.class, "alert event");
    }
}

package dev.cairn.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertEventsTest {
    static final AlertRules RULES = new AlertRules("day", List.of(new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3)), List.of());

    @Test
    void subscribersGetEventsUntilTheyUnsubscribeAndOneFailingDoesNotStopTheOthers(@TempDir Path dir) {
        AlertEvents bus = new AlertEvents();
        AlertEngine engine = new AlertEngine(dir.resolve("alerts.json"), bus);
        List<AlertEvent> all = new ArrayList<>();
        List<AlertEvent> firing = new ArrayList<>();
        AlertEvents.Subscription failing = bus.subscribe(e -> {
            throw new IllegalStateException("subscriber bug");
        });
        AlertEvents.Subscription everything = bus.subscribe(all::add);
        try (AlertEvents.Subscription retrain = bus.subscribe(AlertEvent::firing, firing::add)) {
            engine.evaluate("credit", RULES, Windows.series("drift.share", 0.5, 0.1));
        }
        assertThat(all).extracting(AlertEvent::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(firing).extracting(AlertEvent::state).containsExactly(AlertState.FIRING);

        everything.close();
        everything.close();
        failing.close();
        assertThat(bus.subscribers()).isZero();
        engine.evaluate("credit", RULES, Windows.series("drift.share", 0.5, 0.1, 0.9));
        assertThat(all).hasSize(2);
        assertThat(firing).hasSize(1);
    }

    @Test
    void theJsonIsSnakeCaseWithIsoInstants() throws Exception {
        AlertRule rule = new AlertRule("precision-estimate", "estimated.precision", Comparison.LESS, 0.7, 2, Duration.ofDays(2),
                AlertSeverity.CRITICAL, null);
        AlertEvent event = AlertEvent.of(AlertState.FIRING, rule, Windows.window(2, "estimated.precision", 0.62), 0.62, Windows.day(2));

        JsonNode json = new ObjectMapper().readTree(event.toJson());
        assertThat(json.fieldNames()).toIterable().containsExactly("id", "deployment", "model", "model_version", "rule", "state",
                "severity", "metric", "comparison", "threshold", "value", "window_start", "window_end", "episode_started");
        assertThat(json.get("state").asText()).isEqualTo("FIRING");
        assertThat(json.get("severity").asText()).isEqualTo("critical");
        assertThat(json.get("comparison").asText()).isEqualTo("<");
        assertThat(json.get("window_start").asText()).isEqualTo("2025-03-03T00:00:00Z");
        assertThat(json.get("episode_started").asText()).isEqualTo("2025-03-03T00:00:00Z");
        assertThat(json.get("model_version").asText()).isEqualTo("3");
        assertThat(AlertEvent.fromJson(event.toJson())).isEqualTo(event);
        // Deterministic, and different for the episode's other transition.
        assertThat(event.id()).isEqualTo(AlertEvent.idOf("credit", "precision-estimate", Windows.day(2), AlertState.FIRING))
                .isNotEqualTo(AlertEvent.idOf("credit", "precision-estimate", Windows.day(2), AlertState.RESOLVED));
    }

    @Test
    void theLogLineNamesDeploymentRuleMetricValueThresholdAndWindow() {
        AlertRule rule = new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3);
        AlertEvent firing = AlertEvent.of(AlertState.FIRING, rule, Windows.window(0, "drift.share", 0.5), 0.5, Windows.day(0));
        AlertEvent resolved = AlertEvent.of(AlertState.RESOLVED, rule, Windows.window(1, "drift.share", 0.1), 0.1, Windows.day(0));

        assertThat(LogListener.line(firing)).isEqualTo("Alert FIRING (warning): deployment credit, rule drift: drift.share = 0.5 > 0.3"
                + " in window 2025-03-01T00:00:00Z/2025-03-02T00:00:00Z");
        assertThat(LogListener.line(resolved)).isEqualTo("Alert RESOLVED (warning): deployment credit, rule drift: drift.share = 0.1"
                + " not > 0.3 in window 2025-03-02T00:00:00Z/2025-03-03T00:00:00Z, firing since 2025-03-01T00:00:00Z");
        new LogListener().on(firing);
    }
}

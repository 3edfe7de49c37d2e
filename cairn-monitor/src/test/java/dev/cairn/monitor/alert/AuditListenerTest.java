package dev.cairn.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.monitor.WindowMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditListenerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void writesOneAuditEventPerTransition(@TempDir Path dir) {
        List<AuditEvent> audit = new ArrayList<>();
        AlertEngine engine = new AlertEngine(dir.resolve("alerts.json"), new AuditListener(audit::add, CLOCK));
        AlertRules rules = new AlertRules("day", List.of(new AlertRule("precision-estimate", "estimated.precision",
                Comparison.LESS, 0.7, 1, Duration.ZERO, AlertSeverity.CRITICAL, "below contract")), List.of());

        engine.evaluate(Windows.DEPLOYMENT, rules, Windows.series("estimated.precision", 0.62, 0.75));

        assertThat(audit).containsExactly(
                new AuditEvent(0, CLOCK.millis(), "cairn-monitor", AuditAction.ALERT_FIRING, "credit-risk", 3L,
                        "credit/precision-estimate", "OK", "FIRING",
                        "estimated.precision = 0.62, rule < 0.7, window 2025-03-01T00:00:00Z/2025-03-02T00:00:00Z [critical]: below contract"),
                new AuditEvent(0, CLOCK.millis(), "cairn-monitor", AuditAction.ALERT_RESOLVED, "credit-risk", 3L,
                        "credit/precision-estimate", "FIRING", "OK",
                        "estimated.precision = 0.75, rule < 0.7, window 2025-03-02T00:00:00Z/2025-03-03T00:00:00Z,"
                                + " firing since 2025-03-01T00:00:00Z [critical]: below contract"));
    }

    @Test
    void aVersionThatIsNotARegistryNumberIsLeftOut() {
        List<AuditEvent> audit = new ArrayList<>();
        WindowMetrics window = new WindowMetrics("credit", "credit-risk", "/models/credit.cairn", Windows.day(0), Windows.day(1),
                Map.of("drift.share", 0.5));
        AlertRule rule = new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3);
        new AuditListener(audit::add, CLOCK).on(AlertEvent.of(AlertState.FIRING, rule, window, 0.5, Windows.day(0)));

        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.version()).isNull();
            assertThat(a.modelName()).isEqualTo("credit-risk");
            assertThat(a.subject()).isEqualTo("credit/drift");
        });
    }
}

package dev.cairn.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.monitor.WindowMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertGaugesTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    double firing(String rule, String severity) {
        return registry.get(AlertGauges.FIRING).tags("deployment", "credit", "rule", rule, "severity", severity).gauge().value();
    }

    @Test
    void firingIsOneWhileTheAlertFiresAndZeroAfter(@TempDir Path dir) {
        AlertGauges gauges = new AlertGauges(registry);
        AlertEngine engine = new AlertEngine(dir.resolve("alerts.json"), gauges);
        AlertRules rules = new AlertRules("day", List.of(new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3),
                new AlertRule("latency", "latency.p99_ms", Comparison.GREATER, 250)), List.of());
        gauges.track("credit", rules, engine.active("credit"));
        assertThat(firing("drift", "warning")).isZero();
        assertThat(firing("latency", "warning")).isZero();

        engine.evaluate("credit", rules, Windows.series("drift.share", 0.5));
        assertThat(firing("drift", "warning")).isEqualTo(1.0);
        assertThat(firing("latency", "warning")).isZero();

        engine.evaluate("credit", rules, Windows.series("drift.share", 0.5, 0.1));
        assertThat(firing("drift", "warning")).isZero();
    }

    @Test
    void aRestartShowsWhatStillFires(@TempDir Path dir) {
        AlertRules rules = new AlertRules("day", List.of(new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3)), List.of());
        new AlertEngine(dir.resolve("alerts.json")).evaluate("credit", rules, Windows.series("drift.share", 0.5));

        AlertGauges gauges = new AlertGauges(registry);
        AlertEngine restarted = new AlertEngine(dir.resolve("alerts.json"), gauges);
        gauges.track("credit", rules, restarted.active("credit"));
        assertThat(firing("drift", "warning")).isEqualTo(1.0);
    }

    @Test
    void metricGaugesShowTheLatestWindow() {
        AlertGauges gauges = new AlertGauges(registry);
        gauges.update(new WindowMetrics("credit", "credit-risk", "3", Windows.day(0), Windows.day(1),
                Map.of("drift.share", 0.2, "estimated.precision", 0.8)));
        gauges.update(new WindowMetrics("credit", "credit-risk", "3", Windows.day(1), Windows.day(2),
                Map.of("drift.share", 0.4)));
        // An older window recomputed later does not move the gauges back.
        gauges.update(new WindowMetrics("credit", "credit-risk", "3", Windows.day(0), Windows.day(1),
                Map.of("drift.share", 0.2, "estimated.precision", 0.8)));

        assertThat(metric("3", "drift.share").value()).isEqualTo(0.4);
        // Absent from the latest window: gone rather than stale.
        assertThat(registry.find(AlertGauges.METRIC).tag("metric", "estimated.precision").gauge()).isNull();

        gauges.update(new WindowMetrics("credit", "credit-risk", "4", Windows.day(2), Windows.day(3), Map.of("drift.share", 0.1)));
        assertThat(metric("4", "drift.share").value()).isEqualTo(0.1);
        assertThat(registry.find(AlertGauges.METRIC).tag("model_version", "3").gauge()).isNull();
    }

    Gauge metric(String version, String metric) {
        return registry.get(AlertGauges.METRIC).tags("deployment", "credit", "model_version", version, "metric", metric).gauge();
    }
}

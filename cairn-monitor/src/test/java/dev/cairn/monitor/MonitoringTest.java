package dev.cairn.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.alert.AlertState;
import dev.cairn.monitor.performance.Realized;
import dev.cairn.monitor.report.MonitoringReport;
import dev.cairn.monitor.window.WindowSize;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over a log whose content is known: per-day metrics, labels joined late, alerts, backfill, the report. */
class MonitoringTest {
    static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir Path dir;
    LogFixture log;
    MonitoredModel model;
    Monitoring monitoring;
    final List<AlertEvent> heard = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Path home = dir.resolve("serving");
        log = new LogFixture(home.resolve("predictions"));
        model = LogFixture.model(dir.resolve("train"), "1", 3000, 5);
        monitoring = new Monitoring(Monitoring.Settings.under(home), (name, version) -> model, List.of(heard::add), null,
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
    }

    /** Day d's traffic: n requests, amounts shifted from day {@code shiftFrom} on. */
    List<LogFixture.Request> day(int d, int n, int shiftFrom) {
        return LogFixture.traffic("d" + d + "-", DAY.plusSeconds(86_400L * d + 3600), "1", n, d >= shiftFrom ? 250 : 0, 100 + d);
    }

    /** Labels drawn from each row's own score (the model is calibrated), known {@code lagHours} after the prediction. */
    List<Monitoring.Label> labels(List<LogFixture.Request> requests, long seed, int lagHours) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Monitoring.Label> out = new ArrayList<>();
        for (LogFixture.Request q : requests) {
            out.add(new Monitoring.Label(q.id(), r.nextDouble() < q.scores()[0] ? "good" : "bad", q.time().plusSeconds(3600L * lagHours)));
        }
        return out;
    }

    @Test
    void realizedPerformanceIsComputedFromTheLabelsJoinedSoFarAndMatchesTheMetricsDefinition() throws Exception {
        List<LogFixture.Request> d0 = day(0, 400, 99);
        List<LogFixture.Request> d1 = day(1, 400, 99);
        log.segment("credit", d0);
        log.segment("credit", d1);
        List<Monitoring.Label> labels0 = labels(d0, 1, 30);
        monitoring.postLabels("credit", labels0.subList(0, 300), "request_id");
        monitoring.update("credit", WindowSize.DAY, Progress.NONE);

        List<Monitoring.WindowResult> windows = monitoring.windows("credit", WindowSize.DAY, null, null, null);
        assertThat(windows).hasSize(2);
        WindowMetrics first = windows.get(0).metrics();
        assertThat(first.get(MetricNames.LABEL_COVERAGE)).isEqualTo(0.75);
        assertThat(first.get(MetricNames.LABEL_LAG_HOURS)).isEqualTo(30.0);
        int[] y = new int[300];
        double[] p = new double[300];
        for (int i = 0; i < 300; i++) {
            y[i] = labels0.get(i).label().equals("good") ? 1 : 0;
            p[i] = d0.get(i).scores()[0];
        }
        Map<String, Double> expected = Realized.binary(y, p, 0.5);
        assertThat(first.get(MetricNames.realized("precision"))).isEqualTo(expected.get("precision"));
        assertThat(first.get(MetricNames.realized("roc_auc"))).isEqualTo(expected.get("roc_auc"));
        // The estimate is there before any label, with an interval around it.
        WindowMetrics second = windows.get(1).metrics();
        assertThat(second.get(MetricNames.LABEL_COVERAGE)).isZero();
        assertThat(second.get(MetricNames.realized("precision"))).isNull();
        assertThat(second.get(MetricNames.estimated("precision"))).isBetween(second.get("estimated.precision.lower"),
                second.get("estimated.precision.upper"));

        // Labels arriving later, joined on a logged input instead of the request id, are seen at once.
        List<Monitoring.Label> byAmount = new ArrayList<>();
        for (LogFixture.Request q : d1.subList(0, 100)) {
            byAmount.add(new Monitoring.Label(String.valueOf(q.rows().getFirst().get("amount")), "good", q.time().plusSeconds(7200)));
        }
        monitoring.postLabels("credit", byAmount, "amount");
        WindowMetrics later = monitoring.windows("credit", WindowSize.DAY, null, null, null).get(1).metrics();
        assertThat(later.get(MetricNames.LABEL_COVERAGE)).isEqualTo(0.25);
        assertThat(later.get(MetricNames.realized("precision"))).isEqualTo(1.0);
    }

    @Test
    void anAlertFiresOnceWhenItsMetricBreachesAndResolvesOnceWhenItRecovers() throws Exception {
        for (int d = 0; d < 6; d++) log.segment("credit", day(d, 600, d >= 2 && d <= 3 ? 2 : 99));
        monitoring.installRules("credit", """
                window: day
                rules:
                  - name: amount-drift
                    metric: drift.amount
                    comparison: ">"
                    threshold: 1
                """);
        // amount's drift test here is the Wasserstein distance in reference standard deviations (about 3 on the
        // shifted days, under 0.12 on the others).
        for (int i = 0; i < 3; i++) monitoring.refresh("credit", Progress.NONE);
        assertThat(heard).extracting(AlertEvent::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(heard.get(0).windowStart()).isEqualTo(DAY.plusSeconds(2 * 86_400L));
        assertThat(heard.get(1).windowStart()).isEqualTo(DAY.plusSeconds(4 * 86_400L));
        assertThat(monitoring.history("credit", 10)).hasSize(2);
        assertThat(monitoring.firing("credit")).isEmpty();

        MonitoringReport report = monitoring.report("credit", WindowSize.DAY, null, null);
        assertThat(report.windows()).hasSize(6);
        assertThat(report.alerts()).hasSize(2);
        assertThat(report.latestDrift()).isNotNull();
    }

    @Test
    void aBackfillRecomputesTheWindowsOfAPeriodFromTheLog() throws Exception {
        log.segment("credit", day(0, 300, 99));
        log.segment("credit", day(1, 300, 99));
        monitoring.update("credit", WindowSize.DAY, Progress.NONE);
        Monitoring.Backfill b = monitoring.backfill("credit", WindowSize.DAY, DAY.plusSeconds(86_400), null, Progress.NONE);
        assertThat(b.windowsRemoved()).isEqualTo(1);
        assertThat(b.update().rowsAdded()).isEqualTo(300);
        List<Monitoring.WindowResult> windows = monitoring.windows("credit", WindowSize.DAY, null, null, null);
        assertThat(windows).extracting(w -> w.metrics().get(MetricNames.ROWS)).containsExactly(300.0, 300.0);
        // An hour window over the same log is another set of windows, computed on request.
        monitoring.update("credit", WindowSize.HOUR, Progress.NONE);
        assertThat(monitoring.windows("credit", WindowSize.HOUR, null, null, null)).hasSize(2);
    }

    @Test
    void driftCanBeMeasuredAgainstAPastWindowInsteadOfTheTrainingData() throws Exception {
        for (int d = 0; d < 4; d++) log.segment("credit", day(d, 600, 2));
        monitoring.update("credit", WindowSize.DAY, Progress.NONE);
        Instant shifted = DAY.plusSeconds(2 * 86_400L);
        var againstTraining = monitoring.windows("credit", WindowSize.DAY, null, null, null);
        var againstDay2 = monitoring.windows("credit", WindowSize.DAY, null, null, null, new Monitoring.Reference.PastWindow(shifted));
        assertThat(againstTraining.get(3).metrics().get(MetricNames.drifted("amount"))).isEqualTo(1.0);
        assertThat(againstDay2.get(3).metrics().get(MetricNames.drifted("amount"))).isZero();
        assertThat(againstDay2.get(0).metrics().get(MetricNames.drifted("amount"))).isEqualTo(1.0);
        assertThat(againstDay2.get(3).metrics().get(MetricNames.PREDICTION_DRIFT_SCORE + MetricNames.DRIFTED_SUFFIX)).isZero();
        assertThatThrownBy(() -> monitoring.windows("credit", WindowSize.DAY, null, null, null,
                new Monitoring.Reference.PastWindow(DAY.minusSeconds(86_400)))).isInstanceOf(CairnException.class).hasMessageContaining("reference");
        assertThatThrownBy(() -> Monitoring.Reference.parse("yesterday")).isInstanceOf(CairnException.class).hasMessageContaining("reference");
    }

    @Test
    void badNamesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> monitoring.status("../etc")).isInstanceOf(CairnException.class).hasMessageContaining("deployment");
        assertThatThrownBy(() -> monitoring.window("credit", "fortnight")).isInstanceOf(CairnException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> monitoring.postLabels("credit", List.of(new Monitoring.Label(null, "good", null)), "request_id"))
                .isInstanceOf(CairnException.class).hasMessageContaining("labels[0].id");
        assertThatThrownBy(() -> monitoring.installRules("credit", "rules: []\nwindow: day\nbogus: 1"))
                .isInstanceOf(CairnException.class).hasMessageContaining("bogus");
    }
}

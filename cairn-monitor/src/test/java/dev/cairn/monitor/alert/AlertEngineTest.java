package dev.cairn.monitor.alert;

import static dev.cairn.monitor.alert.Windows.DEPLOYMENT;
import static dev.cairn.monitor.alert.Windows.day;
import static dev.cairn.monitor.alert.Windows.series;
import static dev.cairn.monitor.alert.Windows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.monitor.WindowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertEngineTest {
    static final String PRECISION = "estimated.precision";

    @TempDir
    Path dir;

    static AlertRules rules(AlertRule... rules) {
        return new AlertRules("day", List.of(rules), List.of());
    }

    static AlertRule precisionBelow(double threshold, int consecutive, Duration cooldown) {
        return new AlertRule("precision-estimate", PRECISION, Comparison.LESS, threshold, consecutive, cooldown,
                AlertSeverity.CRITICAL, "CBPE precision below the contract");
    }

    Path state() {
        return dir.resolve("state/alerts.json");
    }

    @Test
    void evaluatedThroughIsTheEarliestLastEvaluatedWindowOfTheRules() {
        AlertEngine engine = new AlertEngine(state());
        AlertRule precision = precisionBelow(0.7, 1, Duration.ZERO);
        AlertRule drift = new AlertRule("drift", "drift.share", Comparison.GREATER_OR_EQUAL, 0.3, 1, Duration.ZERO,
                AlertSeverity.WARNING, null);
        AlertRules both = rules(precision, drift);
        assertThat(engine.evaluatedThrough(DEPLOYMENT, both)).as("nothing evaluated yet").isNull();

        // The drift rule has no value in these windows: it evaluated none, so nothing can be skipped.
        engine.evaluate(DEPLOYMENT, both, series(PRECISION, 0.8, 0.9));
        assertThat(engine.evaluatedThrough(DEPLOYMENT, both)).isNull();
        assertThat(engine.evaluatedThrough(DEPLOYMENT, rules(precision))).isEqualTo(day(2));

        engine.evaluate(DEPLOYMENT, both, List.of(window(2, "drift.share", 0.1)));
        assertThat(engine.evaluatedThrough(DEPLOYMENT, both)).as("drift through day 3, precision through day 2").isEqualTo(day(2));
        engine.evaluate(DEPLOYMENT, both, series(PRECISION, 0.8, 0.9, 0.85, 0.9));
        assertThat(engine.evaluatedThrough(DEPLOYMENT, both)).isEqualTo(day(3));
        assertThat(engine.evaluatedThrough(DEPLOYMENT, rules(precision))).isEqualTo(day(4));
    }

    @Test
    void consecutiveTwoFiresOnTheSecondBreachingWindowAndResolvesOnTheFirstThatDoesNot() {
        List<AlertEvent> heard = new ArrayList<>();
        AlertEngine engine = new AlertEngine(state(), heard::add);
        AlertRules rules = rules(precisionBelow(0.7, 2, Duration.ZERO));
        List<WindowMetrics> windows = series(PRECISION, 0.8, 0.6, 0.65, 0.62, 0.75);

        assertThat(engine.evaluate(DEPLOYMENT, rules, windows.subList(0, 2))).isEmpty();
        List<AlertEvent> fired = engine.evaluate(DEPLOYMENT, rules, windows.subList(0, 3));
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertState.FIRING);
            assertThat(e.windowStart()).isEqualTo(day(2));
            assertThat(e.windowEnd()).isEqualTo(day(3));
            assertThat(e.episodeStarted()).isEqualTo(day(2));
            assertThat(e.value()).isEqualTo(0.65);
            assertThat(e.deployment()).isEqualTo(DEPLOYMENT);
            assertThat(e.model()).isEqualTo("credit-risk");
            assertThat(e.modelVersion()).isEqualTo("3");
            assertThat(e.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(e.comparison()).isEqualTo(Comparison.LESS);
            assertThat(e.threshold()).isEqualTo(0.7);
            assertThat(e.description()).isEqualTo("CBPE precision below the contract");
            assertThat(e.id()).isEqualTo(AlertEvent.idOf(DEPLOYMENT, "precision-estimate", day(2), AlertState.FIRING));
        });
        assertThat(engine.active(DEPLOYMENT)).singleElement().satisfies(a -> {
            assertThat(a.since()).isEqualTo(day(2));
            assertThat(a.value()).isEqualTo(0.65);
        });
        assertThat(engine.evaluate(DEPLOYMENT, rules, windows.subList(0, 4))).isEmpty();
        assertThat(engine.active(DEPLOYMENT)).singleElement().satisfies(a -> {
            assertThat(a.since()).isEqualTo(day(2));
            assertThat(a.value()).isEqualTo(0.62);
            assertThat(a.windowEnd()).isEqualTo(day(4));
        });

        List<AlertEvent> resolved = engine.evaluate(DEPLOYMENT, rules, windows);
        assertThat(resolved).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(e.windowStart()).isEqualTo(day(4));
            assertThat(e.value()).isEqualTo(0.75);
            assertThat(e.episodeStarted()).isEqualTo(day(2));
        });
        assertThat(engine.active(DEPLOYMENT)).isEmpty();
        assertThat(heard).containsExactly(fired.get(0), resolved.get(0));
    }

    @Test
    void aBreachThatIsNotFollowedByAnotherDoesNotFire() {
        AlertEngine engine = new AlertEngine(state());
        AlertRules rules = rules(precisionBelow(0.7, 2, Duration.ZERO));
        assertThat(engine.evaluate(DEPLOYMENT, rules, series(PRECISION, 0.6, 0.8, 0.6, 0.9, 0.5))).isEmpty();
        assertThat(engine.evaluate(DEPLOYMENT, rules, List.of(window(5, PRECISION, 0.5))))
                .extracting(AlertEvent::state, AlertEvent::episodeStarted).containsExactly(tuple(AlertState.FIRING, day(5)));
    }

    @Test
    void exactlyOneFiringAndOneResolvedPerEpisodeWhateverIsReEvaluatedAndAcrossRestarts() {
        List<AlertEvent> heard = new ArrayList<>();
        AlertRules rules = rules(precisionBelow(0.7, 2, Duration.ZERO),
                new AlertRule("drift", "drift.share", Comparison.GREATER_OR_EQUAL, 0.3));
        // Two precision episodes (fire at day 2 and day 7) and drift windows mixed in.
        List<WindowMetrics> windows = new ArrayList<>();
        double[] precision = {0.8, 0.6, 0.6, 0.6, 0.9, 0.9, 0.5, 0.5, 0.8, 0.8};
        double[] drift = {0.1, 0.4, 0.5, 0.1, 0.1, 0.1, 0.1, 0.6, 0.1, 0.1};
        for (int i = 0; i < precision.length; i++) {
            windows.add(new WindowMetrics(DEPLOYMENT, "credit-risk", "3", day(i), day(i + 1),
                    Map.of(PRECISION, precision[i], "drift.share", drift[i])));
        }

        // Monitoring recomputes every window so far on each run; the process restarts between runs.
        for (int k = 1; k <= windows.size(); k++) {
            for (int again = 0; again < 3; again++) {
                AlertEngine engine = new AlertEngine(state(), heard::add);
                engine.evaluate(DEPLOYMENT, rules, windows.subList(0, k));
                // And once more in the same process, in a shuffled order.
                List<WindowMetrics> reversed = new ArrayList<>(windows.subList(0, k));
                java.util.Collections.reverse(reversed);
                engine.evaluate(DEPLOYMENT, rules, reversed);
            }
        }

        assertThat(heard).extracting(AlertEvent::rule, AlertEvent::state, AlertEvent::episodeStarted, AlertEvent::windowStart)
                .containsExactly(
                        tuple("drift", AlertState.FIRING, day(1), day(1)),
                        tuple("precision-estimate", AlertState.FIRING, day(2), day(2)),
                        tuple("drift", AlertState.RESOLVED, day(1), day(3)),
                        tuple("precision-estimate", AlertState.RESOLVED, day(2), day(4)),
                        tuple("precision-estimate", AlertState.FIRING, day(7), day(7)),
                        tuple("drift", AlertState.FIRING, day(7), day(7)),
                        tuple("precision-estimate", AlertState.RESOLVED, day(7), day(8)),
                        tuple("drift", AlertState.RESOLVED, day(7), day(8)));
        assertThat(heard.stream().map(AlertEvent::id).collect(Collectors.toSet())).hasSize(heard.size());
        assertThat(new AlertEngine(state()).active()).isEmpty();
    }

    @Test
    void aFiringAlertSurvivesARestartAndResolvesOnce() {
        AlertRules rules = rules(precisionBelow(0.7, 1, Duration.ZERO));
        List<WindowMetrics> windows = series(PRECISION, 0.6, 0.6, 0.9);
        assertThat(new AlertEngine(state()).evaluate(DEPLOYMENT, rules, windows.subList(0, 2)))
                .extracting(AlertEvent::state).containsExactly(AlertState.FIRING);

        AlertEngine restarted = new AlertEngine(state());
        assertThat(restarted.active(DEPLOYMENT)).extracting(ActiveAlert::rule, ActiveAlert::since, ActiveAlert::windowEnd)
                .containsExactly(tuple("precision-estimate", day(0), day(2)));
        assertThat(restarted.evaluate(DEPLOYMENT, rules, windows))
                .extracting(AlertEvent::state, AlertEvent::id)
                .containsExactly(tuple(AlertState.RESOLVED, AlertEvent.idOf(DEPLOYMENT, "precision-estimate", day(0), AlertState.RESOLVED)));
    }

    @Test
    void aWindowWithoutTheMetricLeavesTheStateAsItWas() {
        AlertEngine engine = new AlertEngine(state());
        AlertRules rules = rules(precisionBelow(0.7, 2, Duration.ZERO));

        // Pending(1), no data, breach: the two breaches still count as in a row.
        assertThat(engine.evaluate(DEPLOYMENT, rules, series(PRECISION, 0.6, null, 0.6)))
                .extracting(AlertEvent::state, AlertEvent::windowStart).containsExactly(tuple(AlertState.FIRING, day(2)));
        // Firing, no data: still firing, nothing said.
        assertThat(engine.evaluate(DEPLOYMENT, rules, List.of(window(3, PRECISION, null), window(4, PRECISION, null)))).isEmpty();
        assertThat(engine.active(DEPLOYMENT)).hasSize(1);
        // The day-4 window is recomputed once its labels (here: the estimate) arrive: it counts then.
        assertThat(engine.evaluate(DEPLOYMENT, rules, List.of(window(3, PRECISION, null), window(4, PRECISION, 0.9))))
                .extracting(AlertEvent::state, AlertEvent::windowStart).containsExactly(tuple(AlertState.RESOLVED, day(4)));
        // A window earlier than one already evaluated does not count even when its metric arrives late.
        assertThat(engine.evaluate(DEPLOYMENT, rules, List.of(window(3, PRECISION, 0.1), window(3, PRECISION, 0.1)))).isEmpty();
    }

    @Test
    void cooldownBlocksARefireWithinItAndAllowsOneAfter() {
        List<AlertEvent> heard = new ArrayList<>();
        AlertRules rules = rules(precisionBelow(0.7, 1, Duration.ofDays(2)));
        // Fires day 0, resolves day 1 (window end day 2): windows ending by day 4 cannot fire.
        List<WindowMetrics> windows = series(PRECISION, 0.6, 0.8, 0.6, 0.6, 0.6, 0.9);
        for (int k = 1; k <= windows.size(); k++) {
            new AlertEngine(state(), heard::add).evaluate(DEPLOYMENT, rules, windows.subList(0, k));
        }
        assertThat(heard).extracting(AlertEvent::state, AlertEvent::windowStart, AlertEvent::episodeStarted).containsExactly(
                tuple(AlertState.FIRING, day(0), day(0)),
                tuple(AlertState.RESOLVED, day(1), day(0)),
                tuple(AlertState.FIRING, day(4), day(4)),
                tuple(AlertState.RESOLVED, day(5), day(4)));
    }

    @Test
    void breachesInACooldownDoNotCountTowardConsecutive() {
        AlertEngine engine = new AlertEngine(state());
        AlertRules rules = rules(precisionBelow(0.7, 2, Duration.ofDays(1)));
        // Fires at day 1, resolves at day 2 (cooldown until day 4): day 3 is in it, days 4 and 5 fire.
        assertThat(engine.evaluate(DEPLOYMENT, rules, series(PRECISION, 0.6, 0.6, 0.8, 0.6, 0.6, 0.6)))
                .extracting(AlertEvent::state, AlertEvent::windowStart).containsExactly(
                        tuple(AlertState.FIRING, day(1)), tuple(AlertState.RESOLVED, day(2)), tuple(AlertState.FIRING, day(5)));
    }

    @Test
    void aRuleRemovedWhileFiringIsResolvedWithoutAValue() {
        List<AlertEvent> heard = new ArrayList<>();
        AlertEngine engine = new AlertEngine(state(), heard::add);
        AlertRule precision = precisionBelow(0.7, 1, Duration.ZERO);
        AlertRule drift = new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3);
        engine.evaluate(DEPLOYMENT, rules(precision, drift), series(PRECISION, 0.6));

        List<AlertEvent> events = engine.evaluate(DEPLOYMENT, rules(drift), series(PRECISION, 0.6, 0.6));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(e.rule()).isEqualTo("precision-estimate");
            assertThat(e.value()).isNull();
            assertThat(e.episodeStarted()).isEqualTo(day(0));
        });
        assertThat(engine.active()).isEmpty();
        assertThat(engine.evaluate(DEPLOYMENT, rules(drift), series(PRECISION, 0.6, 0.6))).isEmpty();
    }

    @Test
    void deploymentsAreIndependent() {
        AlertEngine engine = new AlertEngine(state());
        AlertRules rules = rules(precisionBelow(0.7, 1, Duration.ZERO));
        engine.evaluate(DEPLOYMENT, rules, series(PRECISION, 0.6));
        WindowMetrics other = new WindowMetrics("fraud", "fraud", "1", day(0), day(1), Map.of(PRECISION, 0.9));
        assertThat(engine.evaluate("fraud", rules, List.of(other))).isEmpty();
        assertThat(engine.active("fraud")).isEmpty();
        assertThat(engine.active(DEPLOYMENT)).hasSize(1);
    }

    @Test
    void oneListenerFailingDoesNotStopTheOthers() {
        List<AlertEvent> heard = new ArrayList<>();
        AlertEngine engine = new AlertEngine(state(), e -> {
            throw new IllegalStateException("receiver down");
        }, heard::add);
        List<AlertEvent> events = engine.evaluate(DEPLOYMENT, rules(precisionBelow(0.7, 1, Duration.ZERO)), series(PRECISION, 0.6));
        assertThat(events).hasSize(1);
        assertThat(heard).isEqualTo(events);
    }

    @Test
    void windowsOfAnotherDeploymentAreRefused() {
        AlertEngine engine = new AlertEngine(state());
        WindowMetrics other = new WindowMetrics("fraud", "fraud", "1", day(0), day(1), Map.of(PRECISION, 0.9));
        CairnException e = catchThrowableOfType(CairnException.class,
                () -> engine.evaluate(DEPLOYMENT, rules(precisionBelow(0.7, 1, Duration.ZERO)), List.of(window(0, PRECISION, 0.9), other)));
        assertThat(e.details()).containsEntry("field", "closedWindows[1].deployment");
    }

    @Test
    void theStateFileIsReadableJsonAndACorruptOneIsAnError() throws Exception {
        new AlertEngine(state()).evaluate(DEPLOYMENT, rules(precisionBelow(0.7, 2, Duration.ZERO),
                new AlertRule("drift", "drift.share", Comparison.GREATER, 0.3)), series(PRECISION, 0.6));
        String json = Files.readString(state());
        assertThat(json).contains("\"format\":1").contains("\"phase\":\"PENDING\"").contains("\"breaches\":1")
                .contains("\"last_evaluated_end\":\"2025-03-02T00:00:00Z\"");
        // No leftover temporary file beside it.
        try (var files = Files.list(state().getParent())) {
            assertThat(files).containsExactly(state());
        }

        Files.writeString(state(), "{\"format\": 1, \"rules\": [{\"deployment\": \"credit\"");
        CairnException e = catchThrowableOfType(CairnException.class, () -> new AlertEngine(state()));
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.getMessage()).contains(state().toString());
    }
}

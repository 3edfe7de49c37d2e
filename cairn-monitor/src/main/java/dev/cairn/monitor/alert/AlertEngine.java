package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.WindowMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates alert rules over a deployment's closed windows, in time order, and reports transitions
 * (FIRING, RESOLVED) to its listeners. The semantics, per deployment and rule:
 * <ul>
 *   <li>A window <em>breaches</em> a rule when its value of the rule's metric satisfies the comparison
 *       ({@code value < threshold}…). A window without the metric (not computable: no labels yet, too few
 *       rows) is no data, neither breach nor recovery: the rule's state is left exactly as it was, and the
 *       window is not marked evaluated for the rule, so if it is recomputed later with the metric (realized
 *       performance once labels join) it is evaluated then, unless a later window was evaluated meanwhile.</li>
 *   <li>OK → PENDING(n) → FIRING: the alert fires on the {@code consecutive}-th breaching window in a row
 *       (Prometheus' {@code for:}, counted in windows); a non-breaching window while pending returns to OK.
 *       The episode starts at that window's start ({@link AlertEvent#episodeStarted()}).</li>
 *   <li>FIRING → OK: on the first window that does not breach; one RESOLVED event ends the episode.</li>
 *   <li>Cooldown: after resolving in a window ending at {@code t}, breaching windows that end at or before
 *       {@code t + cooldown} are ignored (they neither fire nor count toward {@code consecutive}).
 *       Cooldown is measured in window time, not wall-clock time, so a backfill behaves like live data.</li>
 *   <li>Exactly once: a window ending at or before the last window evaluated for the rule is skipped, so
 *       evaluating the same windows again (monitoring recomputes them on every run) changes nothing. Of two
 *       windows with the same end (two model versions in one window) the first in (end, start, version)
 *       order counts. The state is written to the state file before listeners hear of the transitions, so a
 *       restart neither fires again nor forgets a firing alert (a crash between the two loses the
 *       notification rather than repeating it; event ids are deterministic for receivers that dedupe).</li>
 *   <li>A rule removed from the configuration while firing is resolved on the next evaluation of its
 *       deployment (a RESOLVED event without value, in the last window it breached); its state is dropped.</li>
 * </ul>
 * Listeners are called on the evaluating thread, in event order, after the state is saved; the engine is
 * thread-safe (one evaluation at a time).
 */
public final class AlertEngine {
    private final Path stateFile;
    private final AlertListeners listeners;
    private Map<AlertStateFile.Key, RuleState> states;

    /** An engine whose state lives in {@code stateFile} (read now if it exists, rewritten on every change). */
    public AlertEngine(Path stateFile, List<? extends AlertListener> listeners) {
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        this.listeners = AlertListeners.of(listeners);
        this.states = AlertStateFile.load(stateFile);
    }

    public AlertEngine(Path stateFile, AlertListener... listeners) {
        this(stateFile, Arrays.asList(listeners));
    }

    public Path stateFile() {
        return stateFile;
    }

    /**
     * Evaluates {@code rules} over {@code closedWindows} of {@code deployment} (any order; only windows that
     * have closed: an open window's values are still changing) and returns the transitions, in window order,
     * after telling the listeners.
     */
    public synchronized List<AlertEvent> evaluate(String deployment, AlertRules rules, List<WindowMetrics> closedWindows) {
        if (deployment == null || deployment.isBlank()) throw CairnException.invalid("deployment", deployment, "a deployment name");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(closedWindows, "closedWindows");
        for (int i = 0; i < closedWindows.size(); i++) {
            WindowMetrics w = closedWindows.get(i);
            if (w == null || !deployment.equals(w.deployment())) {
                throw CairnException.invalid("closedWindows[" + i + "].deployment", w == null ? null : w.deployment(),
                        "windows of deployment '" + deployment + "'");
            }
            if (w.start() == null || w.end() == null || !w.end().isAfter(w.start())) {
                throw CairnException.invalid("closedWindows[" + i + "].end", w.end(), "an end after the start (" + w.start() + ")");
            }
        }
        List<WindowMetrics> windows = closedWindows.stream()
                .sorted(Comparator.comparing(WindowMetrics::end).thenComparing(WindowMetrics::start)
                        .thenComparing(w -> String.valueOf(w.modelVersion())))
                .toList();

        Map<AlertStateFile.Key, RuleState> next = new LinkedHashMap<>(states);
        List<AlertEvent> events = new ArrayList<>();
        Set<String> configured = new HashSet<>();
        for (AlertRule rule : rules.rules()) {
            configured.add(rule.name());
            AlertStateFile.Key key = new AlertStateFile.Key(deployment, rule.name());
            RuleState state = next.getOrDefault(key, RuleState.INITIAL);
            for (WindowMetrics w : windows) state = step(state, rule, w, events);
            if (state.equals(RuleState.INITIAL)) next.remove(key);
            else next.put(key, state);
        }
        for (var it = next.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().deployment().equals(deployment) || configured.contains(e.getKey().rule())) continue;
            if (e.getValue() instanceof RuleState.Firing f) events.add(removed(f.alert()));
            it.remove();
        }
        events.sort(Comparator.comparing(AlertEvent::windowEnd));

        if (!next.equals(states)) {
            AlertStateFile.save(stateFile, next);
            states = next;
        }
        events.forEach(listeners::on);
        return List.copyOf(events);
    }

    /**
     * The end of the last window every one of {@code rules} has evaluated for {@code deployment} (the earliest of
     * theirs), or null when one has evaluated none: an evaluation skips the windows ending at or before it, so a caller
     * need not compute them.
     */
    public synchronized Instant evaluatedThrough(String deployment, AlertRules rules) {
        Instant through = null;
        for (AlertRule rule : rules.rules()) {
            RuleState state = states.get(new AlertStateFile.Key(deployment, rule.name()));
            if (state == null || state.lastEvaluatedEnd() == null) return null;
            if (through == null || state.lastEvaluatedEnd().isBefore(through)) through = state.lastEvaluatedEnd();
        }
        return through;
    }

    /** The alerts of {@code deployment} firing now, by rule name. */
    public synchronized List<ActiveAlert> active(String deployment) {
        return active().stream().filter(a -> a.deployment().equals(deployment)).toList();
    }

    /** Every alert firing now, by deployment and rule name. */
    public synchronized List<ActiveAlert> active() {
        return states.values().stream()
                .filter(s -> s instanceof RuleState.Firing)
                .map(s -> ((RuleState.Firing) s).alert())
                .sorted(Comparator.comparing(ActiveAlert::deployment).thenComparing(ActiveAlert::rule))
                .toList();
    }

    /** One window's effect on one rule's state; transitions are added to {@code events}. */
    static RuleState step(RuleState state, AlertRule rule, WindowMetrics w, List<AlertEvent> events) {
        Instant last = state.lastEvaluatedEnd();
        if (last != null && !w.end().isAfter(last)) return state;
        Double value = w.get(rule.metric());
        if (value == null) return state;
        boolean breach = rule.breaches(value);
        return switch (state) {
            case RuleState.Firing f -> {
                if (breach) yield new RuleState.Firing(alert(rule, w, value, f.alert().since()), w.end());
                events.add(AlertEvent.of(AlertState.RESOLVED, rule, w, value, f.alert().since()));
                yield new RuleState.Ok(w.end(), rule.cooldown().isZero() ? null : w.end().plus(rule.cooldown()));
            }
            case RuleState.Ok ok -> {
                Instant cooldownUntil = ok.cooldownUntil() != null && w.end().isAfter(ok.cooldownUntil()) ? null : ok.cooldownUntil();
                if (!breach || cooldownUntil != null) yield new RuleState.Ok(w.end(), cooldownUntil);
                yield breached(0, rule, w, value, events);
            }
            case RuleState.Pending p -> breach ? breached(p.breaches(), rule, w, value, events) : new RuleState.Ok(w.end(), null);
        };
    }

    private static RuleState breached(int before, AlertRule rule, WindowMetrics w, double value, List<AlertEvent> events) {
        int breaches = before + 1;
        if (breaches < rule.consecutive()) return new RuleState.Pending(breaches, w.end());
        events.add(AlertEvent.of(AlertState.FIRING, rule, w, value, w.start()));
        return new RuleState.Firing(alert(rule, w, value, w.start()), w.end());
    }

    private static ActiveAlert alert(AlertRule rule, WindowMetrics w, double value, Instant since) {
        return new ActiveAlert(w.deployment(), w.model(), w.modelVersion(), rule.name(), rule.severity(), rule.metric(),
                rule.comparison(), rule.threshold(), value, since, w.start(), w.end(), rule.description());
    }

    private static AlertEvent removed(ActiveAlert a) {
        return new AlertEvent(AlertEvent.idOf(a.deployment(), a.rule(), a.since(), AlertState.RESOLVED), a.deployment(), a.model(),
                a.modelVersion(), a.rule(), AlertState.RESOLVED, a.severity(), a.metric(), a.comparison(), a.threshold(), null,
                a.windowStart(), a.windowEnd(), a.since(), a.description());
    }
}

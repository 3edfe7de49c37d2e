package dev.cairn.monitor.alert;

import dev.cairn.monitor.WindowMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Micrometer gauges for Prometheus (the server exposes the registry at {@code /metrics}):
 * <ul>
 *   <li>{@value #FIRING} {deployment, rule, severity}: 1 while the alert fires, 0 otherwise (from the events,
 *       and from {@link #track} for rules that never fired and for alerts firing at start-up);</li>
 *   <li>{@value #METRIC} {deployment, model_version, metric}: the deployment's latest window's values
 *       ({@link #update}); a metric the latest window lacks disappears rather than showing a stale value.</li>
 * </ul>
 * Gauge values are held here (strongly: Micrometer only keeps weak references to a gauge's state).
 */
public final class AlertGauges implements AlertListener {
    public static final String FIRING = "cairn.monitor.alert.firing";
    public static final String METRIC = "cairn.monitor.metric";
    private static final String NO_VERSION = "none";

    private final MeterRegistry registry;
    private final Map<RuleKey, Series> firing = new HashMap<>();
    private final Map<String, Latest> latest = new HashMap<>();

    private record RuleKey(String deployment, String rule) {}

    private record MetricKey(String modelVersion, String metric) {}

    /** A gauge and the value it reads. */
    private static final class Series {
        final String severity;
        volatile double value;
        Gauge gauge;

        Series(String severity) {
            this.severity = severity;
        }
    }

    private record Latest(Instant end, Map<MetricKey, Series> series) {}

    public AlertGauges(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public synchronized void on(AlertEvent e) {
        set(e.deployment(), e.rule(), e.severity(), e.firing());
    }

    /**
     * Shows every rule of {@code deployment}: 1 for those in {@code active} (from {@link AlertEngine#active(String)},
     * so a restart shows what fires), 0 for the others.
     */
    public synchronized void track(String deployment, AlertRules rules, List<ActiveAlert> active) {
        for (AlertRule rule : rules.rules()) {
            boolean on = active.stream().anyMatch(a -> a.deployment().equals(deployment) && a.rule().equals(rule.name()));
            set(deployment, rule.name(), rule.severity(), on);
        }
    }

    /** Sets the metric gauges of {@code window.deployment()} to this window's values; an older window than the last is ignored. */
    public synchronized void update(WindowMetrics window) {
        Latest current = latest.get(window.deployment());
        if (current != null && window.end().isBefore(current.end())) return;
        Map<MetricKey, Series> series = current == null ? new HashMap<>() : current.series();
        String version = window.modelVersion() == null ? NO_VERSION : window.modelVersion();
        for (Iterator<Map.Entry<MetricKey, Series>> it = series.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MetricKey, Series> e = it.next();
            if (!e.getKey().modelVersion().equals(version) || window.get(e.getKey().metric()) == null) {
                registry.remove(e.getValue().gauge);
                it.remove();
            }
        }
        window.values().forEach((metric, value) -> {
            Series s = series.computeIfAbsent(new MetricKey(version, metric), k -> {
                Series created = new Series(null);
                created.gauge = Gauge.builder(METRIC, created, x -> x.value)
                        .tags(Tags.of("deployment", window.deployment(), "model_version", version, "metric", metric))
                        .strongReference(true)
                        .register(registry);
                return created;
            });
            s.value = value;
        });
        latest.put(window.deployment(), new Latest(window.end(), series));
    }

    private void set(String deployment, String rule, AlertSeverity severity, boolean on) {
        RuleKey key = new RuleKey(deployment, rule);
        Series s = firing.get(key);
        if (s != null && !s.severity.equals(severity.label())) {
            // The rule's severity changed: the old series would otherwise stay at its last value.
            registry.remove(s.gauge);
            s = null;
        }
        if (s == null) {
            Series created = new Series(severity.label());
            created.gauge = Gauge.builder(FIRING, created, x -> x.value)
                    .tags(Tags.of("deployment", deployment, "rule", rule, "severity", severity.label()))
                    .strongReference(true)
                    .register(registry);
            firing.put(key, created);
            s = created;
        }
        s.value = on ? 1 : 0;
    }

    @Override
    public String toString() {
        return "AlertGauges";
    }
}

/**
 * Alert rules over window metrics and their delivery.
 * <p>
 * {@link dev.cairn.monitor.alert.AlertRules} (read from YAML) holds a deployment's rules: a metric of
 * {@link dev.cairn.monitor.WindowMetrics}, a comparison with a threshold, how many breaching windows in a
 * row fire the alert, a cooldown after it resolves, a severity. {@link dev.cairn.monitor.alert.AlertEngine}
 * evaluates them over closed windows, keeps each rule's state (OK, PENDING, FIRING) in a state file, and
 * produces exactly one FIRING and one RESOLVED {@link dev.cairn.monitor.alert.AlertEvent} per episode however
 * often the same windows are evaluated again. The events go to {@link dev.cairn.monitor.alert.AlertListener}s:
 * the log, webhooks, the registry's audit log, Prometheus gauges and the in-process bus
 * {@link dev.cairn.monitor.alert.AlertEvents} that retraining subscribes to.
 * <p>
 * Compared with Prometheus alerting rules: {@code consecutive} is {@code for:} counted in windows, an absent
 * value is no data rather than recovery, and there is no repeat interval (one event per transition; the
 * gauges and the engine's active alerts carry the current state).
 */
package dev.cairn.monitor.alert;

package dev.cairn.monitor.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each transition on one line: WARN when an alert fires, INFO when it resolves. */
public final class LogListener implements AlertListener {
    private static final Logger LOG = LoggerFactory.getLogger(LogListener.class);

    @Override
    public void on(AlertEvent e) {
        if (e.firing()) LOG.warn("{}", line(e));
        else LOG.info("{}", line(e));
    }

    /** E.g. {@code Alert FIRING (critical): deployment credit, rule precision-estimate: estimated.precision = 0.62 < 0.7 in window 2025-03-02T00:00:00Z/2025-03-03T00:00:00Z}. */
    static String line(AlertEvent e) {
        String value = e.value() == null ? "(rule removed)" : e.value() + (e.firing() ? " " : " not ") + e.comparison().symbol() + " " + e.threshold();
        return "Alert " + e.state() + " (" + e.severity().label() + "): deployment " + e.deployment() + ", rule " + e.rule()
                + ": " + e.metric() + " = " + value + " in window " + e.windowStart() + "/" + e.windowEnd()
                + (e.firing() ? "" : ", firing since " + e.episodeStarted());
    }

    @Override
    public String toString() {
        return "LogListener";
    }
}

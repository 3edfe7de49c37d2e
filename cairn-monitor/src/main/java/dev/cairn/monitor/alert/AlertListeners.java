package dev.cairn.monitor.alert;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as one, each isolated from the others: a listener that throws is logged and the
 * next one still gets the event (a broken audit store must not silence the webhook, nor the reverse).
 */
public final class AlertListeners implements AlertListener {
    private static final Logger LOG = LoggerFactory.getLogger(AlertListeners.class);
    private final List<AlertListener> listeners;

    private AlertListeners(List<AlertListener> listeners) {
        this.listeners = listeners;
    }

    public static AlertListeners of(Collection<? extends AlertListener> listeners) {
        return new AlertListeners(List.copyOf(listeners));
    }

    public static AlertListeners of(AlertListener... listeners) {
        return of(Arrays.asList(listeners));
    }

    public List<AlertListener> listeners() {
        return listeners;
    }

    @Override
    public void on(AlertEvent event) {
        for (AlertListener listener : listeners) {
            deliver(listener, event);
        }
    }

    /** Calls {@code listener}, logging rather than propagating what it throws. */
    static void deliver(AlertListener listener, AlertEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException e) {
            LOG.error("Alert listener {} failed on {} {} for deployment {} (event {})", listener, event.state(), event.rule(),
                    event.deployment(), event.id(), e);
        }
    }
}

package dev.cairn.monitor.alert;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The in-process bus of alert transitions: give it to the engine as a listener, and other modules subscribe
 * (the retraining pipelines to FIRING drift alerts: "a drift alert triggers a retrain"). Subscribers are called
 * on the evaluating thread, each isolated from the others; one that does slow work hands it to its own executor.
 */
public final class AlertEvents implements AlertListener {
    private final CopyOnWriteArrayList<AlertListener> subscribers = new CopyOnWriteArrayList<>();

    /** A subscription; closing it stops delivery to its listener (closing twice is harmless). */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    public Subscription subscribe(AlertListener listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper per subscription, so that subscribing one listener twice gives two independent handles.
        AlertListener entry = listener::on;
        subscribers.add(entry);
        return () -> subscribers.remove(entry);
    }

    /** Subscribes to the events {@code filter} accepts, e.g. {@code AlertEvent::firing}. */
    public Subscription subscribe(Predicate<AlertEvent> filter, AlertListener listener) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(listener, "listener");
        return subscribe(e -> {
            if (filter.test(e)) listener.on(e);
        });
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void on(AlertEvent event) {
        for (AlertListener subscriber : subscribers) AlertListeners.deliver(subscriber, event);
    }

    @Override
    public String toString() {
        return "AlertEvents[" + subscribers.size() + " subscribers]";
    }
}

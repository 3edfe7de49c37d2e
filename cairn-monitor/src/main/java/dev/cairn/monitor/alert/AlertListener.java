package dev.cairn.monitor.alert;

/**
 * Receives each alert transition as the engine produces it, on the evaluating thread and in order: an
 * implementation must return quickly (hand slow work, such as HTTP, to its own executor, as
 * {@link WebhookListener} does). The engine isolates listeners from each other ({@link AlertListeners}).
 */
@FunctionalInterface
public interface AlertListener {
    void on(AlertEvent event);
}

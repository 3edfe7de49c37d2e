package dev.cairn.monitor.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Routes each event to the webhooks of its own deployment: webhooks are configured per deployment (in its
 * {@link AlertRules}), while the engine's listeners are shared. One {@link WebhookListener} per webhook;
 * reconfiguring keeps the listeners of unchanged webhooks (and their pending deliveries) and closes the others.
 */
public final class AlertWebhooks implements AlertListener, AutoCloseable {
    private final WebhookListener.Settings settings;
    private final MeterRegistry registry;
    private final Map<String, List<WebhookListener>> byDeployment = new HashMap<>();

    /** {@code registry} may be null. */
    public AlertWebhooks(WebhookListener.Settings settings, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = registry;
    }

    /** Sets the webhooks of {@code deployment} (an empty list: none). */
    public void configure(String deployment, List<Webhook> webhooks) {
        List<WebhookListener> removed = new ArrayList<>();
        synchronized (this) {
            List<WebhookListener> current = byDeployment.getOrDefault(deployment, List.of());
            List<WebhookListener> next = new ArrayList<>();
            for (Webhook w : new LinkedHashSet<>(webhooks)) {
                next.add(current.stream().filter(l -> l.webhook().equals(w)).findFirst()
                        .orElseGet(() -> new WebhookListener(w, settings, registry)));
            }
            current.stream().filter(l -> !next.contains(l)).forEach(removed::add);
            if (next.isEmpty()) byDeployment.remove(deployment);
            else byDeployment.put(deployment, List.copyOf(next));
        }
        // Outside the lock: closing drains, and events for other deployments must not wait for it.
        removed.forEach(WebhookListener::close);
    }

    /** The webhook listeners of {@code deployment}, for their delivery counts. */
    public synchronized List<WebhookListener> listeners(String deployment) {
        return byDeployment.getOrDefault(deployment, List.of());
    }

    @Override
    public void on(AlertEvent event) {
        List<WebhookListener> targets;
        synchronized (this) {
            targets = byDeployment.getOrDefault(event.deployment(), List.of());
        }
        for (WebhookListener l : targets) AlertListeners.deliver(l, event);
    }

    /** Closes every webhook listener, each draining within its bound. */
    @Override
    public void close() {
        List<WebhookListener> all = new ArrayList<>();
        synchronized (this) {
            byDeployment.values().forEach(all::addAll);
            byDeployment.clear();
        }
        all.forEach(WebhookListener::close);
    }

    @Override
    public String toString() {
        return "AlertWebhooks";
    }
}

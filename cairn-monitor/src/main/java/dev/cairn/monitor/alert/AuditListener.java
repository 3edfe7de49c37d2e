package dev.cairn.monitor.alert;

import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes each transition to the registry's audit log (the server passes {@code RegistryStore::appendAuditEvent}):
 * action {@link AuditAction#ALERT_FIRING} (from OK to FIRING) or {@link AuditAction#ALERT_RESOLVED} (from FIRING
 * to OK), actor {@code cairn-monitor}, the window's model and version (null when the version is not a registry
 * number, e.g. a package path), subject {@code deployment/rule}.
 */
public final class AuditListener implements AlertListener {
    public static final String ACTOR = "cairn-monitor";
    private final Consumer<AuditEvent> audit;
    private final Clock clock;

    public AuditListener(Consumer<AuditEvent> audit) {
        this(audit, Clock.systemUTC());
    }

    public AuditListener(Consumer<AuditEvent> audit, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void on(AlertEvent e) {
        boolean firing = e.firing();
        audit.accept(new AuditEvent(0, clock.millis(), ACTOR, firing ? AuditAction.ALERT_FIRING : AuditAction.ALERT_RESOLVED,
                e.model(), version(e.modelVersion()), e.deployment() + "/" + e.rule(), firing ? "OK" : "FIRING",
                firing ? "FIRING" : "OK", comment(e)));
    }

    static String comment(AlertEvent e) {
        String value = e.value() == null ? "no value (rule removed)" : String.valueOf(e.value());
        return e.metric() + " = " + value + ", rule " + e.comparison().symbol() + " " + e.threshold() + ", window "
                + e.windowStart() + "/" + e.windowEnd() + (e.firing() ? "" : ", firing since " + e.episodeStarted())
                + " [" + e.severity().label() + "]" + (e.description() == null ? "" : ": " + e.description());
    }

    private static Long version(String modelVersion) {
        if (modelVersion == null) return null;
        try {
            return Long.parseLong(modelVersion.strip());
        } catch (NumberFormatException notRegistered) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "AuditListener";
    }
}

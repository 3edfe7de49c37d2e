package dev.cairn.core.registry;

/**
 * One row of the append-only audit log: who did what to which model, when, from which value
 * to which (an alias's old and new version, a stage's old and new name), and why.
 * {@code version} is null for events on the model as a whole.
 */
public record AuditEvent(
        long id,
        long timestamp,
        String actor,
        AuditAction action,
        String modelName,
        Long version,
        String subject,
        String fromValue,
        String toValue,
        String comment) {}

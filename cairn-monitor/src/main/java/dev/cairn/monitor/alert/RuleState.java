package dev.cairn.monitor.alert;

import java.time.Instant;

/**
 * Where one rule stands for one deployment. Every variant remembers the end of the last window evaluated
 * for the rule ({@code null}: none yet): windows ending at or before it are not evaluated again.
 */
sealed interface RuleState {
    Instant lastEvaluatedEnd();

    /** Not breaching. Within a cooldown ({@code cooldownUntil} not null), breaching windows ending by then are ignored. */
    record Ok(Instant lastEvaluatedEnd, Instant cooldownUntil) implements RuleState {}

    /** {@code breaches} windows in a row have breached, fewer than the rule's {@code consecutive}. */
    record Pending(int breaches, Instant lastEvaluatedEnd) implements RuleState {}

    /** Firing since {@code alert.since()}; the alert carries the latest breaching value and window. */
    record Firing(ActiveAlert alert, Instant lastEvaluatedEnd) implements RuleState {}

    RuleState INITIAL = new Ok(null, null);
}

package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gate between an evaluation and the alias it was run against: a blessed candidate is
 * promoted (the alias, e.g. {@code champion}, moves to it); an unblessed one is refused with
 * INVALID_STATE naming every failed threshold, unless forced with a reason, which goes to the
 * audit log as PROMOTION_FORCED beside the alias change itself. A blessed candidate that breaks the
 * four-fifths rule on a sensitive column is promoted only with a reason, audited the same way.
 */
public final class Promotion {
    private Promotion() {}

    /**
     * What a promotion did: the alias moved ({@code request} null, {@code version} as it is now), or, the alias being
     * protected, a request now waits for a second person's approval ({@code request} pending).
     */
    public record Outcome(ModelVersion version, AliasRequest request) {
        public boolean pending() {
            return request != null;
        }
    }

    /**
     * @param verdict the verdict of an evaluation of this very version (checked: the version, or the
     *                package its source points at, must be the one evaluated)
     * @return the version as it is after the alias moved, or the request filed when the alias is protected (four-eyes)
     */
    public static Outcome promote(RegistryStore registry, String modelName, long version, Verdict verdict, String actor,
                                       boolean force, String reason) {
        if (verdict == null) throw CairnException.invalid("verdict", null, "the verdict of an evaluation of " + modelName + "/" + version);
        ModelVersion target = registry.getModelVersion(modelName, version);
        boolean sameVersion = modelName.equals(verdict.registeredName()) && verdict.candidateVersion() != null
                && verdict.candidateVersion() == version;
        // The candidate itself, or the copy the evaluation wrote with its chosen decision threshold.
        boolean sameSource = target.source() != null && (target.source().equals(verdict.candidateSource())
                || target.source().equals("runs:/" + verdict.evaluationRunId() + "/" + Evaluations.THRESHOLDED_MODEL));
        if (!sameVersion && !sameSource) {
            throw CairnException.invalid("verdict", verdict.evaluationRunId(), "a verdict about models:/" + modelName + "/" + version
                    + " (it is about " + verdict.candidateUri() + ")");
        }
        String alias = verdict.alias() == null ? EvaluationSpec.DEFAULT_ALIAS : verdict.alias();
        // The verdict compared the candidate with the alias's version of that moment: if the alias moved since (another
        // promotion won), the comparison no longer holds and the store answers CONFLICT instead of overwriting it.
        AliasPrecondition expected = !modelName.equals(verdict.registeredName()) || verdict.alias() == null ? AliasPrecondition.ANY
                : verdict.championVersion() == null ? new AliasPrecondition.Absent() : new AliasPrecondition.At(verdict.championVersion());
        String who = actor == null || actor.isBlank() ? "unknown" : actor;
        boolean protectedAlias = registry.protectedAliases(modelName).contains(alias);
        // The alias points at this version already (a canary step promoted it, or a retried request): promoting again
        // changes nothing, so it is neither a conflict with the verdict's champion nor an event for the audit log.
        boolean already = String.valueOf(version).equals(currentVersion(registry, modelName, alias, AliasPrecondition.ANY));
        Outcome unchanged = already ? new Outcome(registry.getModelVersion(modelName, version), null) : null;
        if (!verdict.blessed()) {
            List<String> failed = verdict.failed().stream().map(c -> c.message()).toList();
            if (!force) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Version " + version + " of '" + modelName + "' is not blessed by evaluation run "
                        + verdict.evaluationRunId() + ", so it cannot become '" + alias + "': " + String.join("; ", failed)
                        + ". Force the promotion with a reason to override.",
                        Map.of("failed_thresholds", verdict.failed().stream().map(Verdict.Check::threshold).toList(),
                                "evaluation_run_id", String.valueOf(verdict.evaluationRunId())));
            }
            if (reason == null || reason.isBlank()) {
                throw CairnException.invalid("reason", reason, "a reason for forcing the promotion of an unblessed model (it goes to the audit log)");
            }
            List<String> overridden = new ArrayList<>(failed);
            overridden.addAll(verdict.fairnessViolations());
            String detail = "forced past failed thresholds [" + String.join("; ", overridden) + "] of evaluation run "
                    + verdict.evaluationRunId() + ": " + reason;
            if (already) return unchanged;
            if (protectedAlias) return requested(registry, modelName, version, alias, who, detail, expected);
            forced(registry, modelName, version, alias, who, detail, reason, expected);
        } else if (!verdict.fairnessViolations().isEmpty()) {
            // Blessed on its thresholds, but unfair by the four-fifths rule: a person must say why it ships anyway.
            if (reason == null || reason.isBlank()) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Version " + version + " of '" + modelName + "' breaks the four-fifths rule ("
                        + String.join("; ", verdict.fairnessViolations()) + ") in evaluation run " + verdict.evaluationRunId()
                        + ", so it cannot become '" + alias + "' without a reason (it goes to the audit log).",
                        Map.of("fairness_violations", verdict.fairnessViolations(), "evaluation_run_id", String.valueOf(verdict.evaluationRunId())));
            }
            String detail = "promoted despite the four-fifths rule [" + String.join("; ", verdict.fairnessViolations())
                    + "] of evaluation run " + verdict.evaluationRunId() + ": " + reason;
            if (already) return unchanged;
            if (protectedAlias) return requested(registry, modelName, version, alias, who, detail, expected);
            forced(registry, modelName, version, alias, who, detail, reason, expected);
        } else {
            String detail = "blessed by evaluation run " + verdict.evaluationRunId();
            if (already) return unchanged;
            if (protectedAlias) return requested(registry, modelName, version, alias, who, detail, expected);
            registry.setAlias(modelName, alias, version, who, detail, expected);
        }
        return new Outcome(registry.getModelVersion(modelName, version), null);
    }

    /** A protected alias: the promotion becomes a request that a second person approves (what it overrode in its comment). */
    private static Outcome requested(RegistryStore registry, String modelName, long version, String alias, String who, String detail,
                                     AliasPrecondition expected) {
        AliasRequest request = registry.requestAliasChange(modelName, alias, version, who, detail, expected);
        return new Outcome(registry.getModelVersion(modelName, version), request);
    }

    /**
     * Moves the alias past what the verdict objected to, then records a PROMOTION_FORCED audit event saying what and
     * why: after the move, so a move refused (a conflict) leaves no event for a promotion that did not happen; the
     * alias change's own event carries the reason too.
     */
    private static void forced(RegistryStore registry, String modelName, long version, String alias, String who, String detail, String reason,
                               AliasPrecondition expected) {
        String from = currentVersion(registry, modelName, alias, expected);
        registry.setAlias(modelName, alias, version, who, "forced: " + reason, expected);
        registry.appendAuditEvent(new AuditEvent(0, System.currentTimeMillis(), who, AuditAction.PROMOTION_FORCED, modelName, version,
                alias, from, String.valueOf(version), detail));
    }

    private static String currentVersion(RegistryStore registry, String modelName, String alias, AliasPrecondition expected) {
        if (expected instanceof AliasPrecondition.At at) return String.valueOf(at.version());
        if (expected instanceof AliasPrecondition.Absent) return null;
        try {
            return String.valueOf(registry.getModelVersionByAlias(modelName, alias).version());
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return null;
            throw e;
        }
    }
}

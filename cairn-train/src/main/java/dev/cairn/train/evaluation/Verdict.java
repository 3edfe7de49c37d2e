package dev.cairn.train.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Whether a candidate may replace the model that holds {@code alias}: blessed when every
 * threshold passes. Change thresholds are skipped when there is no champion yet, as TFX does.
 * When no value or change threshold is declared, a default one applies (see {@code Evaluations}):
 * the business metric may not be worse than the champion's beyond the paired bootstrap interval.
 * {@code fairnessViolations} name the sensitive columns whose disparate impact breaks the
 * four-fifths rule (unless a declared fairness threshold on the disparate impact governs that
 * column): they do not change {@code blessed}, but promoting despite them needs a reason, which is
 * audited as a forced promotion.
 * {@code evaluationRunId} is the run that recorded it; {@code candidateSource} where the candidate's
 * package lives, so a promotion can check the verdict is about the version being promoted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(boolean blessed, String evaluationRunId, String candidateUri, String candidateSource,
                      String registeredName, Long candidateVersion, String alias, String championUri,
                      Long championVersion, List<Check> checks, String summary, List<String> fairnessViolations) {

    public Verdict {
        checks = checks == null ? List.of() : List.copyOf(checks);
        // Verdicts recorded before the four-fifths rule was part of them have none.
        fairnessViolations = fairnessViolations == null ? List.of() : List.copyOf(fairnessViolations);
    }

    public enum Kind { VALUE, CHANGE, FAIRNESS }

    /**
     * One threshold with what was observed: {@code candidate} is the metric's value (or for a change
     * threshold the candidate's value with {@code champion} beside it and {@code observed} the change).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(Kind kind, String threshold, String metric, String column, Double candidate, Double champion,
                        Double observed, boolean passed, boolean skipped, String message) {}

    public List<Check> failed() {
        return checks.stream().filter(c -> !c.passed() && !c.skipped()).toList();
    }
}

package dev.cairn.train.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Whether a candidate may replace the model that holds {@code alias}: blessed when every
 * threshold passes. Change thresholds are skipped when there is no champion yet, as TFX does.
 * {@code evaluationRunId} is the run that recorded it; {@code candidateSource} where the candidate's
 * package lives, so a promotion can check the verdict is about the version being promoted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(boolean blessed, String evaluationRunId, String candidateUri, String candidateSource,
                      String registeredName, Long candidateVersion, String alias, String championUri,
                      Long championVersion, List<Check> checks, String summary) {

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

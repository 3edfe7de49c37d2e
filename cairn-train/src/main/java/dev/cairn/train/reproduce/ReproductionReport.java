package dev.cairn.train.reproduce;

import java.util.List;

/**
 * The outcome of retraining a recorded run. {@code identical} is true only when the run
 * reproduced: the inputs are the recorded ones (same data and schema digests) and the new package
 * is the recorded one (byte-identical model file, same signature and preprocessing). Retraining on
 * different data is a failed reproduction even when the model file comes out byte-identical
 * ({@code modelIdentical} says whether it did). {@code differences} names everything found on
 * the way, including library versions and unrecorded parameters, which alone do not fail it.
 */
public record ReproductionReport(String runId, boolean identical, boolean modelIdentical, String recordedSha256, String reproducedSha256,
                                 List<Difference> differences) {

    public ReproductionReport(String runId, boolean modelIdentical, String recordedSha256, String reproducedSha256, List<Difference> differences) {
        this(runId, modelIdentical && differences.stream().noneMatch(Difference::failsReproduction), modelIdentical, recordedSha256,
                reproducedSha256, differences);
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        if (identical) {
            sb.append("Reproduced run ").append(runId).append(": same inputs, and the model file is byte-identical (SHA-256 ")
                    .append(reproducedSha256).append(")");
        } else {
            List<String> failing = differences.stream().filter(Difference::failsReproduction).map(Difference::kind).distinct().toList();
            sb.append("Run ").append(runId).append(" did not reproduce: ").append(String.join(", ", failing)).append(" differ");
            sb.append(modelIdentical ? " (the model file came out byte-identical, SHA-256 " + reproducedSha256 + ", but from different inputs)"
                    : " (model file recorded " + recordedSha256 + ", now " + reproducedSha256 + ")");
        }
        for (Difference d : differences) sb.append(System.lineSeparator()).append("  - ").append(d);
        return sb.toString();
    }
}

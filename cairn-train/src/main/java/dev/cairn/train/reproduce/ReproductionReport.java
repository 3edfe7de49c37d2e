package dev.cairn.train.reproduce;

import java.util.List;

/**
 * The outcome of retraining a recorded run: whether the new model file is byte-identical to the
 * recorded one, both SHA-256 digests, and every difference found on the way (empty when identical).
 */
public record ReproductionReport(String runId, boolean identical, String recordedSha256, String reproducedSha256,
                                 List<Difference> differences) {

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(identical ? "Reproduced run " + runId + ": the model file is byte-identical (SHA-256 " + reproducedSha256 + ")"
                : "Run " + runId + " did not reproduce: the model file differs (recorded " + recordedSha256 + ", now " + reproducedSha256 + ")");
        for (Difference d : differences) sb.append(System.lineSeparator()).append("  - ").append(d);
        return sb.toString();
    }
}

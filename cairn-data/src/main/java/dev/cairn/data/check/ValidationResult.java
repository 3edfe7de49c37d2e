package dev.cairn.data.check;

import dev.cairn.data.schema.Severity;
import dev.cairn.data.source.MalformedRow;
import java.util.List;
import java.util.Map;

/**
 * The result of validating a dataset against a spec: every check's result (failed ones first),
 * the metrics measured (stored as history and as run metrics), and whether it succeeded — no
 * error-severity check failed.
 */
public record ValidationResult(
        String format,
        String source,
        String environment,
        long rowCount,
        long malformedRowCount,
        List<MalformedRow> malformedRows,
        boolean success,
        int checks,
        int failedErrors,
        int failedWarnings,
        List<CheckResult> results,
        Map<String, Double> metrics) {
    public static final String FORMAT = "cairn.validation/v1";

    public List<CheckResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    public List<CheckResult> failures(Severity severity) {
        return results.stream().filter(r -> !r.passed() && r.severity() == severity).toList();
    }
}

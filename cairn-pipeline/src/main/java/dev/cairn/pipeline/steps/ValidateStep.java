package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.DataValidation;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.history.RunMetricsHistory;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.source.FileSource;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code validate}: runs a schema's checks on the data (as {@code cairn data validate} does), records the report and
 * the check metrics in the step's run, and fails the step when {@code fail_on} says: on a failed error-severity
 * check (default), on any failed check ({@code warning}), or never. {@code metric_change} checks compare with this
 * step's earlier validations: the metrics of earlier runs of the step's experiment. With {@code engine: spark} the
 * checks run on Spark ({@link StepEngine}), with the same results.
 */
public final class ValidateStep implements StepRunner {
    private static final List<String> FAIL_ON = List.of("error", "warning", "never");

    private final DataEngine.Factory spark;

    /** On DuckDB only: {@code engine: spark} is refused. */
    public ValidateStep() {
        this(null);
    }

    /** With {@code spark} for steps that say {@code engine: spark} (null: none). */
    public ValidateStep(DataEngine.Factory spark) {
        this.spark = spark;
    }

    @Override
    public StepType type() {
        return StepType.VALIDATE;
    }

    @Override
    public StepResult run(StepContext context) {
        String failOn = context.optionalText("fail_on").orElse("error").strip().toLowerCase(Locale.ROOT);
        if (!FAIL_ON.contains(failOn)) throw CairnException.invalid(context.field("fail_on"), failOn, "one of " + FAIL_ON);
        String environment = context.optionalText("env").orElse(null);
        DataValidation data = new DataValidation();
        Path schema = context.file("schema");
        DataSpec spec = Fields.naming(context, "schema", () -> data.readSpec(schema));
        context.consumed("file", schema.toUri().toString(), Sha256.of(schema, context.field("schema")));
        Path rows = context.dataFile("data");

        String name = context.step().id();
        RunMetricsHistory history = new RunMetricsHistory(context.tracking().runs(), StepRuns.experimentId(context), name);
        context.log("Validating " + context.text("data") + " against " + schema.getFileName()
                + (environment == null ? "" : " (" + environment + ")"));
        context.checkCancelled();
        ValidationResult result;
        try (DataEngine engine = StepEngine.open(context, spark)) {
            result = Fields.naming(context, "data", () -> engine == null ? data.validate(FileSource.of(rows), spec, environment, history)
                    : engine.validate(rows.toString(), spec, environment, history));
        }
        data.record(StepRuns.dataRecorder(context), name, result);
        String report = StepRuns.artifactUri(context, "data/" + name + "/validation.json");
        context.produced("report", report, null);

        context.log(String.format(Locale.ROOT, "%s: %d checks, %d errors, %d warnings (%d rows%s)", result.success() ? "PASSED" : "FAILED",
                result.checks(), result.failedErrors(), result.failedWarnings(), result.rowCount(),
                result.malformedRowCount() > 0 ? ", " + result.malformedRowCount() + " malformed lines not read" : ""));
        for (CheckResult c : result.failures()) {
            String line = c.severity().name().toLowerCase(Locale.ROOT) + " " + c.name() + ": observed " + c.observedText() + "; expected " + c.expected();
            if (c.severity() == Severity.ERROR) context.warn(line);
            else context.log(line);
        }

        List<CheckResult> failing = switch (failOn) {
            case "error" -> result.failures(Severity.ERROR);
            case "warning" -> result.failures();
            default -> List.of();
        };
        if (!failing.isEmpty()) {
            List<String> names = failing.stream().map(c -> c.name() + " (" + c.severity().name().toLowerCase(Locale.ROOT) + ")").toList();
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, context.field("data") + ": " + failing.size()
                    + " check(s) failed (fail_on: " + failOn + "): " + String.join(", ", names) + "; report " + report,
                    Map.of("field", context.field("data"), "failed_checks", failing.stream().map(CheckResult::name).toList(),
                            "report", report));
        }

        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("passed", result.success());
        outputs.put("errors", (long) result.failedErrors());
        outputs.put("warnings", (long) result.failedWarnings());
        outputs.put("report", report);
        return StepResult.of(outputs);
    }
}

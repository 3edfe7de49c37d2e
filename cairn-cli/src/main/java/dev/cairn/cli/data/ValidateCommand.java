package dev.cairn.cli.data;

import dev.cairn.cli.Actor;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.data.DataValidation;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.RunRecorder;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.FileMetricsHistory;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.history.RunMetricsHistory;
import dev.cairn.data.report.ReportWriter.Report;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn data validate SOURCE --schema spec.yaml}: runs the checks; exit code 1 when an
 * error-severity check fails (so pipelines and CI can gate on it), 2 on bad input. Problems of the
 * data itself (a ragged line, a value the schema's type cannot read, an extra column) are failed
 * checks, not bad input; lines are numbered as in the file (the header is line 1).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate a dataset against a schema and checks (YAML). Exit code 0: passed (warnings allowed), "
                + "1: an error-severity check failed, 2: bad input.")
final class ValidateCommand extends DataSubcommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A CSV, Parquet or JSON-lines file, or a JDBC URL.")
    String location;

    @Mixin
    SourceOptions source;

    @Option(names = {"-s", "--schema"}, required = true, description = "The schema and checks YAML.")
    Path schema;

    @Option(names = {"-e", "--env"}, description = "The environment of the data, e.g. TRAINING or SERVING.")
    String environment;

    @Option(names = "--history", description = "A metrics history file (JSON lines) for metric_change checks; this run's metrics are added.")
    Path history;

    @Option(names = {"-o", "--out"}, defaultValue = "cairn-reports", description = "The directory for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "The reports' base name (default: the file's name).")
    String name;

    @Option(names = "--no-profile", description = "Validate only; do not also write the profile report.")
    boolean noProfile;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Record the validation as a run of this experiment (reports as artifacts, metrics as run metrics); "
                    + "metric_change checks then compare with the experiment's earlier validations of the same --name.")
    String experiment;

    @Mixin
    StoreOptions store;

    @Mixin
    EngineOptions engine;

    @Override
    int execute() {
        DataValidation reader = new DataValidation();
        DataSpec spec = reader.readSpec(schema);
        String base = name != null ? name : SourceOptions.nameOf(location);
        if (experiment != null) {
            try (MetadataStore s = store.open()) {
                return recordedInRun(s, spec, base);
            }
        }
        MetricsHistory metrics = history == null ? MetricsHistory.NONE : new FileMetricsHistory(history);
        return validate(spec, base, metrics, null);
    }

    /** The validation as a run: its history is the experiment's earlier runs, its results go into the new run. */
    private int recordedInRun(MetadataStore s, DataSpec spec, String base) {
        String experimentId = s.experiments().getExperimentByName(experiment).map(e -> e.experimentId())
                .orElseGet(() -> s.experiments().createExperiment(experiment, null, List.of()));
        MetricsHistory metrics = history != null ? new FileMetricsHistory(history)
                : new RunMetricsHistory(s.runs(), experimentId, base);
        Run run = s.runs().createRun(experimentId, Actor.current(), System.currentTimeMillis(), "validate-" + base,
                List.of(new Tag(SystemTags.SOURCE_NAME, "cairn data validate")));
        String runId = run.info().runId();
        try {
            s.runs().logBatch(runId, List.of(), List.of(new Param("source", location), new Param("schema", schema.toString()),
                    new Param("environment", String.valueOf(environment))), List.of());
            RunRecorder recorder = RunRecorder.of(s.runs(), runId, s.runArtifacts(run.info()));
            int code = validate(spec, base, metrics, recorder);
            s.runs().updateRun(runId, RunStatus.FINISHED, System.currentTimeMillis(), null);
            out().println("Run:               " + runId + " (experiment " + experiment + ")");
            return code;
        } catch (RuntimeException e) {
            s.runs().setTag(runId, new Tag(SystemTags.FAILURE_REASON, String.valueOf(e.getMessage())));
            s.runs().updateRun(runId, RunStatus.FAILED, System.currentTimeMillis(), null);
            throw e;
        }
    }

    private int validate(DataSpec spec, String base, MetricsHistory metrics, RunRecorder recorder) {
        ProgressBar bar = new ProgressBar(err());
        DataValidation data = new DataValidation(bar);
        ValidationResult result;
        Report profileReport = null;
        Report report;
        boolean spark = engine.spark();
        if (noProfile) {
            result = spark ? SparkData.validate(engine, location, spec, environment, metrics)
                    : data.validate(source.source(location), spec, environment, metrics);
            bar.finish();
            report = data.report(out, base + ".validation", result);
            if (recorder != null) data.record(recorder, base, result);
        } else {
            ProfiledValidation both = spark ? SparkData.profileAndValidate(engine, location, spec, environment, metrics)
                    : data.profileAndValidate(source.source(location), spec, environment, metrics);
            bar.finish();
            result = both.validation();
            Map<String, Report> reports = data.writeReports(out, base, both);
            if (recorder != null) {
                data.record(recorder, base, both.profile());
                data.record(recorder, base, result);
            }
            profileReport = reports.get("profile");
            report = reports.get("validation");
        }
        print(result);
        if (profileReport != null) out().println("Profile report:    " + profileReport.html());
        out().println("Validation report: " + report.html());
        out().println("JSON:              " + report.json());
        return result.success() ? 0 : 1;
    }

    private void print(ValidationResult r) {
        out().printf("%s %s: %d checks, %d errors, %d warnings (%,d rows%s)%n", r.success() ? "PASSED" : "FAILED", r.source(), r.checks(),
                r.failedErrors(), r.failedWarnings(), r.rowCount(), r.malformedRowCount() > 0 ? ", " + r.malformedRowCount() + " malformed lines not read" : "");
        for (CheckResult c : r.failures()) {
            out().printf("  %-7s %s: observed %s; expected %s%n", c.severity().name().toLowerCase(), c.name(), c.observedText(), c.expected());
            c.samples().stream().limit(3).forEach(s -> out().println("          e.g. " + s));
        }
    }
}

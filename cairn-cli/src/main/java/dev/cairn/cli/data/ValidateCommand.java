package dev.cairn.cli.data;

import dev.cairn.data.DataValidation;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.FileMetricsHistory;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.report.ReportWriter.Report;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn data validate SOURCE --schema spec.yaml}: runs the checks; exit code 1 when an
 * error-severity check fails (so pipelines and CI can gate on it), 2 on bad input.
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

    @Override
    int execute() {
        DataValidation reader = new DataValidation();
        DataSpec spec = reader.readSpec(schema);
        MetricsHistory metrics = history == null ? MetricsHistory.NONE : new FileMetricsHistory(history);
        ProgressBar bar = new ProgressBar(err());
        DataValidation data = new DataValidation(bar);
        String base = name != null ? name : SourceOptions.nameOf(location);
        ValidationResult result;
        Report profileReport = null;
        Report report;
        if (noProfile) {
            result = data.validate(source.source(location), spec, environment, metrics);
            bar.finish();
            report = data.report(out, base + ".validation", result);
        } else {
            ProfiledValidation both = data.profileAndValidate(source.source(location), spec, environment, metrics);
            bar.finish();
            result = both.validation();
            Map<String, Report> reports = data.writeReports(out, base, both);
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
                r.failedErrors(), r.failedWarnings(), r.rowCount(), r.malformedRowCount() > 0 ? ", " + r.malformedRowCount() + " malformed rows skipped" : "");
        for (CheckResult c : r.failures()) {
            out().printf("  %-7s %s: observed %s; expected %s%n", c.severity().name().toLowerCase(), c.name(), c.observedText(), c.expected());
            c.samples().stream().limit(3).forEach(s -> out().println("          e.g. " + s));
        }
    }
}

package dev.cairn.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.drift.DriftCalculator;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.report.HtmlReport;
import dev.cairn.data.report.ReportWriter;
import dev.cairn.data.report.ReportWriter.Report;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.SchemaInference;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Java API of cairn-data: profile, infer a schema, validate, compare for drift, write reports,
 * and record results in a run. Every method throws {@link CairnException}; a user error (a missing
 * file, a bad spec, a column a check names but the data lacks, a value the schema's type cannot
 * read) has a USER error code, which the CLI turns into exit code 2.
 *
 * <pre>
 * DataValidation data = new DataValidation();
 * DataSource credit = DataValidation.file(Path.of("examples/credit-risk/credit-g.csv"));
 * DataSpec spec = data.readSpec(Path.of("examples/credit-risk/schema.yaml"));
 * ProfiledValidation result = data.profileAndValidate(credit, spec, "TRAINING", MetricsHistory.NONE);
 * data.writeReports(Path.of("reports"), "credit-g", result);   // profile.html/json, validation.html/json
 * if (!result.validation().success()) ...
 * </pre>
 */
public final class DataValidation {
    private final Progress progress;

    public DataValidation() {
        this(Progress.NONE);
    }

    public DataValidation(Progress progress) {
        this.progress = progress;
    }

    /** A CSV, Parquet or JSON-lines file, by its extension. */
    public static DataSource file(Path path) {
        return FileSource.of(path);
    }

    public DatasetProfile profile(DataSource source) {
        try (LoadedTable table = DataReader.open(source, progress)) {
            return Profiler.profile(table, progress);
        }
    }

    public DataSpec inferSchema(DatasetProfile profile, String datasetName, String labelColumn) {
        if (labelColumn != null && profile.column(labelColumn).isEmpty()) {
            throw CairnException.invalid("label", labelColumn, "a column of " + profile.source() + ": "
                    + profile.columns().stream().map(ColumnProfile::name).toList());
        }
        return SchemaInference.infer(profile, datasetName, labelColumn);
    }

    public DataSpec readSpec(Path yaml) {
        return SpecYaml.read(yaml);
    }

    /** Writes a spec as YAML, atomically. */
    public void writeSpec(DataSpec spec, Path yaml) {
        try {
            Path dir = yaml.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".schema", ".yaml.tmp");
            Files.writeString(tmp, SpecYaml.write(spec), StandardCharsets.UTF_8);
            ReportWriter.readable(tmp);
            Files.move(tmp, yaml, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot write '" + yaml + "': " + e.getMessage(), e);
        }
    }

    public ValidationResult validate(DataSource source, DataSpec spec, String environment, MetricsHistory history) {
        try (LoadedTable table = DataReader.open(source, progress)) {
            return Validator.validate(table, spec, environment, history);
        }
    }

    /** Profiles and validates from one reading of the data. */
    public ProfiledValidation profileAndValidate(DataSource source, DataSpec spec, String environment, MetricsHistory history) {
        try (LoadedTable table = DataReader.open(source, progress)) {
            ValidationResult validation = Validator.validate(table, spec, environment, history);
            return new ProfiledValidation(Profiler.profile(table, progress), validation);
        }
    }

    /** Drift between two datasets: exact statistics for numeric columns of up to 2M values, sketches beyond. */
    public DriftResult drift(DataSource reference, DataSource current, DriftOptions options) {
        try (LoadedTable ref = DataReader.open(reference, progress); LoadedTable cur = DataReader.open(current, progress)) {
            return DriftCalculator.compare(ref, Profiler.profile(ref, progress), cur, Profiler.profile(cur, progress), options);
        }
    }

    /** Drift between two stored profiles, from their sketches. */
    public DriftResult drift(DatasetProfile reference, DatasetProfile current, DriftOptions options) {
        return DriftCalculator.compare(reference, current, options);
    }

    public DatasetProfile readProfile(Path json) {
        if (!Files.exists(json)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "File '" + json + "' does not exist", Map.of("file", json.toString()));
        }
        try {
            return ProfileJson.read(Files.readString(json));
        } catch (IOException e) {
            throw CairnException.invalid("file", json.toString(), "a readable profile JSON file");
        }
    }

    public Report report(Path directory, String name, DatasetProfile profile) {
        return ReportWriter.profile(directory, name, profile);
    }

    public Report report(Path directory, String name, ValidationResult validation) {
        return ReportWriter.validation(directory, name, validation);
    }

    public Report report(Path directory, String name, DriftResult drift) {
        return ReportWriter.drift(directory, name, drift);
    }

    /** Writes {@code <name>.profile.{html,json}} and {@code <name>.validation.{html,json}} into a directory. */
    public Map<String, Report> writeReports(Path directory, String name, ProfiledValidation result) {
        Map<String, Report> reports = new TreeMap<>();
        reports.put("profile", report(directory, name + ".profile", result.profile()));
        reports.put("validation", report(directory, name + ".validation", result.validation()));
        return reports;
    }

    /** Stores a profile in a run: artifacts data/&lt;name&gt;/profile.{json,html}, metrics data.&lt;name&gt;.*. */
    public void record(RunRecorder run, String name, DatasetProfile profile) {
        run.putArtifact("data/" + name + "/profile.json", ProfileJson.write(profile));
        run.putArtifact("data/" + name + "/profile.html", HtmlReport.profile(profile));
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("data." + name + ".row_count", (double) profile.rowCount());
        metrics.put("data." + name + ".malformed_rows", (double) profile.malformedRowCount());
        for (ColumnProfile c : profile.columns()) metrics.put("data." + name + ".completeness." + c.name(), c.completeness());
        run.logMetrics(metrics);
    }

    /** Stores a validation in a run: artifacts data/&lt;name&gt;/validation.{json,html}, its metrics and check counts. */
    public void record(RunRecorder run, String name, ValidationResult validation) {
        run.putArtifact("data/" + name + "/validation.json", DataJson.write(validation));
        run.putArtifact("data/" + name + "/validation.html", HtmlReport.validation(validation));
        Map<String, Double> metrics = new TreeMap<>();
        validation.metrics().forEach((k, v) -> metrics.put("data." + name + "." + k, v));
        metrics.put("data." + name + ".checks_failed_error", (double) validation.failedErrors());
        metrics.put("data." + name + ".checks_failed_warning", (double) validation.failedWarnings());
        run.logMetrics(metrics);
    }

    /** Stores a drift result in a run: artifacts data/&lt;name&gt;/drift.{json,html}, the drift share and each column's value. */
    public void record(RunRecorder run, String name, DriftResult drift) {
        run.putArtifact("data/" + name + "/drift.json", DataJson.write(drift));
        run.putArtifact("data/" + name + "/drift.html", HtmlReport.drift(drift));
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("data." + name + ".drift_share", drift.driftShare());
        drift.features().forEach(f -> metrics.put("data." + name + ".drift." + f.column() + "." + f.test(), f.value()));
        run.logMetrics(metrics);
    }
}

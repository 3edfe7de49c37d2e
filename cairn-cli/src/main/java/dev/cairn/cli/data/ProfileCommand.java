package dev.cairn.cli.data;

import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.report.ReportWriter.Report;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn data profile SOURCE}: one pass over the data, a mergeable profile as JSON and HTML. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profile a dataset (counts, missing, types, moments, quantiles, histograms, top values) into JSON and HTML.")
final class ProfileCommand extends DataSubcommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A CSV, Parquet or JSON-lines file, or a JDBC URL.")
    String location;

    @Mixin
    SourceOptions source;

    @Option(names = {"-o", "--out"}, defaultValue = "cairn-reports", description = "The directory for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "The reports' base name (default: the file's name).")
    String name;

    @Mixin
    EngineOptions engine;

    @Override
    int execute() {
        DatasetProfile profile;
        if (engine.spark()) {
            profile = SparkData.profile(engine, location);
        } else {
            ProgressBar bar = new ProgressBar(err());
            profile = new DataValidation(bar).profile(source.source(location));
            bar.finish();
        }
        String base = (name != null ? name : SourceOptions.nameOf(location)) + ".profile";
        Report report = new DataValidation().report(out, base, profile);
        out().printf("Profiled %s: %,d rows, %d columns%s%n", profile.source(), profile.rowCount(), profile.columns().size(),
                profile.malformedRowCount() > 0 ? ", " + profile.malformedRowCount() + " malformed rows skipped" : "");
        profile.malformedRows().stream().limit(5).forEach(r -> out().printf("  line %d: %s%n", r.line(), r.error()));
        out().println("Report: " + report.html());
        out().println("JSON:   " + report.json());
        return 0;
    }
}

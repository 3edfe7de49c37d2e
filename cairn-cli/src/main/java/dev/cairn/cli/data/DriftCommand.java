package dev.cairn.cli.data;

import dev.cairn.data.DataValidation;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.report.ReportWriter.Report;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn data drift REFERENCE CURRENT}: drift and skew per column, every statistic reported.
 * Either side may be a dataset or a stored profile (a {@code .profile.json} file). With {@code --engine spark} the
 * datasets are profiled on Spark and compared from their profiles' sketches (as stored profiles are).
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Compare a current dataset (or profile) with a reference: KS, chi-square (goodness of fit and contingency), PSI, "
                + "Jensen-Shannon, Wasserstein, L-infinity, z-test; Evidently's default test per column; every value reported.")
final class DriftCommand extends DataSubcommand {
    @Parameters(index = "0", paramLabel = "REFERENCE", description = "The reference dataset or .profile.json.")
    String reference;

    @Parameters(index = "1", paramLabel = "CURRENT", description = "The current dataset or .profile.json.")
    String current;

    @Mixin
    SourceOptions source;

    @Option(names = "--p-value", defaultValue = "0.05", description = "Drift when a test's p-value is below this (default ${DEFAULT-VALUE}).")
    double pValue;

    @Option(names = "--distance", defaultValue = "0.1", description = "Drift when a distance is at least this (default ${DEFAULT-VALUE}).")
    double distance;

    @Option(names = "--share", defaultValue = "0.5", description = "Dataset drift when at least this share of columns drift (default ${DEFAULT-VALUE}).")
    double share;

    @Option(names = "--bins", defaultValue = "30", description = "Bins for PSI and Jensen-Shannon of numbers, cut at the reference's quantiles (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--test", description = "Force a test for a column: COLUMN=TEST. Numeric columns: ks, wasserstein; any column: psi, "
            + "jensen_shannon; categorical columns (and numbers with at most 5 values): chi_square (against the reference's proportions), "
            + "chi_square_contingency (2 x k table), l_infinity; at most 2 values: z.")
    Map<String, String> tests = new LinkedHashMap<>();

    @Option(names = {"-o", "--out"}, defaultValue = "cairn-reports", description = "The directory for the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "The reports' base name (default: CURRENT's file name).")
    String name;

    @Option(names = "--fail-on-drift", description = "Exit with code 1 when the dataset drifts.")
    boolean failOnDrift;

    @Mixin
    EngineOptions engine;

    @Override
    int execute() {
        DriftOptions options = new DriftOptions(pValue, distance, share, bins, tests);
        ProgressBar bar = new ProgressBar(err());
        DataValidation data = new DataValidation(bar);
        DriftResult result;
        if (engine.spark()) {
            // Spark profiles the datasets; drift is then computed from the two profiles' sketches, as between stored profiles.
            List<String> onSpark = Stream.of(reference, current).filter(l -> !isProfile(l)).toList();
            Iterator<DatasetProfile> profiled = SparkData.profiles(engine, onSpark).iterator();
            DatasetProfile ref = isProfile(reference) ? data.readProfile(Path.of(reference)) : profiled.next();
            DatasetProfile cur = isProfile(current) ? data.readProfile(Path.of(current)) : profiled.next();
            result = data.drift(ref, cur, options);
        } else if (isProfile(reference) || isProfile(current)) {
            result = data.drift(profile(data, reference), profile(data, current), options);
        } else {
            result = data.drift(source.source(reference), source.source(current), options);
        }
        bar.finish();
        Report report = data.report(out, (name != null ? name : SourceOptions.nameOf(current)) + ".drift", result);
        out().printf("%s: %d of %d columns drifted (share %.2f)%n", result.datasetDrift() ? "DATASET DRIFT" : "no dataset drift",
                result.driftedColumns(), result.columns(), result.driftShare());
        for (FeatureDrift f : result.features()) {
            out().printf("  %-24s %-4s %-15s %-12.6g %s%n", f.column(), f.type(), f.test(), f.value(), f.drifted() ? "DRIFT" : "ok");
        }
        result.skipped().forEach(s -> out().println("  not compared: " + s));
        out().println("Drift report: " + report.html());
        out().println("JSON:         " + report.json());
        return failOnDrift && result.datasetDrift() ? 1 : 0;
    }

    private static boolean isProfile(String location) {
        return location.endsWith(".profile.json");
    }

    private DatasetProfile profile(DataValidation data, String location) {
        return isProfile(location) ? data.readProfile(Path.of(location)) : data.profile(source.source(location));
    }
}

package dev.cairn.cli.data;

import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileMerger;
import dev.cairn.data.report.ReportWriter.Report;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn data merge-profiles A.profile.json B.profile.json …}: the profile of the whole from its parts. */
@Command(name = "merge-profiles", mixinStandardHelpOptions = true,
        description = "Merge profiles of parts (days, partitions) into the profile of the whole.")
final class MergeProfilesCommand extends DataSubcommand {
    @Parameters(arity = "1..*", paramLabel = "PROFILE", description = "Profile JSON files.")
    List<Path> profiles;

    @Option(names = {"-o", "--out"}, defaultValue = "cairn-reports", description = "The directory for the merged profile (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", defaultValue = "merged", description = "The merged profile's base name (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin
    StoredResultEngine engine;

    @Override
    int execute() {
        engine.refuseSpark("merge-profiles");
        DataValidation data = new DataValidation();
        DatasetProfile merged = ProfileMerger.merge(profiles.stream().map(data::readProfile).toList());
        Report report = data.report(out, name + ".profile", merged);
        out().printf("Merged %d profiles: %,d rows%n", profiles.size(), merged.rowCount());
        out().println("Report: " + report.html());
        out().println("JSON:   " + report.json());
        return 0;
    }
}

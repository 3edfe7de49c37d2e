package dev.cairn.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataJson;
import dev.cairn.data.DataValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.report.ReportWriter.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn data report RESULT.json}: the HTML report of a stored profile, validation or drift result. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the self-contained HTML report of a stored result (profile, validation or drift JSON).")
final class ReportCommand extends DataSubcommand {
    @Parameters(index = "0", paramLabel = "RESULT", description = "A .json result written by profile, validate or drift.")
    Path result;

    @Option(names = {"-o", "--out"}, description = "The directory for the report (default: beside the JSON).")
    Path out;

    @Mixin
    StoredResultEngine engine;

    @Override
    int execute() {
        engine.refuseSpark("report");
        if (!Files.isRegularFile(result)) throw CairnException.notFound("file", result);
        String json;
        JsonNode node;
        try {
            json = Files.readString(result);
            node = DataJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw CairnException.invalid("file", result.toString(), "a JSON result of cairn data (" + e.getMessage().split("\n")[0] + ")");
        }
        String format = node.path("format").asText("");
        Path directory = out != null ? out : result.toAbsolutePath().getParent();
        String file = result.getFileName().toString();
        String base = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        DataValidation data = new DataValidation();
        Report report = switch (format) {
            case DatasetProfile.FORMAT -> data.report(directory, base, ProfileJson.read(json));
            case ValidationResult.FORMAT -> data.report(directory, base, DataJson.read(json, ValidationResult.class, result.toString()));
            case DriftResult.FORMAT -> data.report(directory, base, DataJson.read(json, DriftResult.class, result.toString()));
            default -> throw CairnException.invalid("format", format, DatasetProfile.FORMAT + ", " + ValidationResult.FORMAT + " or " + DriftResult.FORMAT);
        };
        out().println("Report: " + report.html());
        return 0;
    }
}

package dev.cairn.data.report;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.DataJson;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes reports as HTML and JSON pairs ({@code <name>.html}, {@code <name>.json}). Each file is
 * written under a temporary name and renamed, so a reader never sees half a report.
 */
public final class ReportWriter {
    private ReportWriter() {}

    /** The files of a report, by their content: json and html. */
    public record Report(Path json, Path html) {}

    public static Report profile(Path directory, String name, DatasetProfile profile) {
        return write(directory, name, ProfileJson.write(profile), HtmlReport.profile(profile));
    }

    public static Report validation(Path directory, String name, ValidationResult result) {
        return write(directory, name, DataJson.write(result), HtmlReport.validation(result));
    }

    public static Report drift(Path directory, String name, DriftResult result) {
        return write(directory, name, DataJson.write(result), HtmlReport.drift(result));
    }

    private static Report write(Path directory, String name, String json, String html) {
        List<Path> temporaries = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            Path jsonTmp = Files.createTempFile(directory, "." + name, ".json.tmp");
            temporaries.add(jsonTmp);
            Path htmlTmp = Files.createTempFile(directory, "." + name, ".html.tmp");
            temporaries.add(htmlTmp);
            Files.writeString(jsonTmp, json, StandardCharsets.UTF_8);
            Files.writeString(htmlTmp, html, StandardCharsets.UTF_8);
            readable(jsonTmp);
            readable(htmlTmp);
            Path jsonFile = directory.resolve(name + ".json");
            Path htmlFile = directory.resolve(name + ".html");
            move(jsonTmp, jsonFile);
            move(htmlTmp, htmlFile);
            return new Report(jsonFile.toAbsolutePath(), htmlFile.toAbsolutePath());
        } catch (IOException e) {
            for (Path t : temporaries) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // Best effort: the failure below is what the user needs to see.
                }
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot write the report '" + name + "' in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Temporary files are private to their owner; a report is for everyone who may read the directory. */
    public static void readable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other non-POSIX file systems keep their own default permissions.
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

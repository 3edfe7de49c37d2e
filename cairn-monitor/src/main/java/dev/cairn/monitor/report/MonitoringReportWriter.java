package dev.cairn.monitor.report;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.report.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a monitoring report as {@code report.html} and {@code report.json} in a directory. Both are
 * rendered first, then each is written under a temporary name and renamed, so a reader (a browser, a
 * dashboard polling the directory) never sees half a report.
 */
public final class MonitoringReportWriter {
    public static final String HTML = "report.html";
    public static final String JSON = "report.json";

    private MonitoringReportWriter() {}

    /** The paths written (absolute). */
    public static ReportWriter.Report write(Path dir, MonitoringReport report) {
        String json = report.toJson();
        String html = MonitoringReportHtml.render(report);
        List<Path> temporaries = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Path jsonTmp = Files.createTempFile(dir, ".report", ".json.tmp");
            temporaries.add(jsonTmp);
            Path htmlTmp = Files.createTempFile(dir, ".report", ".html.tmp");
            temporaries.add(htmlTmp);
            Files.writeString(jsonTmp, json, StandardCharsets.UTF_8);
            Files.writeString(htmlTmp, html, StandardCharsets.UTF_8);
            ReportWriter.readable(jsonTmp);
            ReportWriter.readable(htmlTmp);
            Path jsonFile = dir.resolve(JSON);
            Path htmlFile = dir.resolve(HTML);
            move(jsonTmp, jsonFile);
            move(htmlTmp, htmlFile);
            return new ReportWriter.Report(jsonFile.toAbsolutePath(), htmlFile.toAbsolutePath());
        } catch (IOException e) {
            for (Path t : temporaries) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // Best effort: the failure below is what the user needs to see.
                }
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot write the monitoring report of '" + report.deployment() + "' in "
                    + dir + ": " + e.getMessage(), e);
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

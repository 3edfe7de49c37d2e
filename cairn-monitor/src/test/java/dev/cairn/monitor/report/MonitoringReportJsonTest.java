package dev.cairn.monitor.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.WindowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringReportJsonTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEqual() {
        MonitoringReport month = SyntheticReports.month();
        String json = month.toJson();
        assertThat(MonitoringReport.fromJson(json)).isEqualTo(month);
        assertThat(MonitoringReport.fromJson(json).toJson()).isEqualTo(json);
        assertThat(json).startsWith("{\n  \"format\" : \"cairn.monitoring-report/v1\"")
                .contains("\"generated_at\" : \"2025-03-31T01:00:00Z\"", "\"latest_drift\"", "\"multivariate_thresholds\"", "\"model_version\" : \"3\"",
                        "\"window_start\" : \"2025-03-21T00:00:00Z\"", "\"estimated.precision.lower\"", "\"dataset_drift\" : false")
                .doesNotContain("\"firing\" : true");
        MonitoringReport empty = SyntheticReports.empty();
        assertThat(MonitoringReport.fromJson(empty.toJson())).isEqualTo(empty);
    }

    @Test
    void theWriterWritesBothFilesWhole() throws Exception {
        var written = MonitoringReportWriter.write(dir.resolve("fraud"), SyntheticReports.month());
        assertThat(written.html()).isEqualTo(dir.resolve("fraud/report.html").toAbsolutePath());
        assertThat(written.json()).isEqualTo(dir.resolve("fraud/report.json").toAbsolutePath());
        assertThat(MonitoringReport.read(written.json())).isEqualTo(SyntheticReports.month());
        assertThat(Files.readString(written.html())).isEqualTo(MonitoringReportHtml.render(SyntheticReports.month()));
        // Written again (the next day's run): replaced, and no temporary file is left behind.
        MonitoringReportWriter.write(dir.resolve("fraud"), SyntheticReports.empty());
        assertThat(MonitoringReport.read(written.json())).isEqualTo(SyntheticReports.empty());
        try (var files = Files.list(dir.resolve("fraud"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.html", "report.json");
        }
    }

    @Test
    void badInputIsRefusedByName() {
        MonitoringReport month = SyntheticReports.month();
        WindowMetrics other = new WindowMetrics("another", "fraud", "3", SyntheticReports.day(0), SyntheticReports.day(1), Map.of());
        assertThatThrownBy(() -> new MonitoringReport(month.deployment(), "fraud", "day", month.from(), month.to(), month.generatedAt(),
                List.of(other), null, null, null, null)).isInstanceOf(CairnException.class)
                .hasMessageContaining("windows[0].deployment").hasMessageContaining("another");
        assertThatThrownBy(() -> new MonitoringReport("d", "m", "day", month.to(), month.from(), month.generatedAt(), null, null, null, null, null))
                .hasMessageContaining("'to'");
        assertThatThrownBy(() -> new ReportAlert("r", "PENDING", "warning", "x", 1.0, 2.0, ">", month.from(), month.to()))
                .isInstanceOf(CairnException.class).hasMessageContaining("FIRING or RESOLVED");
        assertThatThrownBy(() -> new MonitoringReport.Thresholds(2.0, 1.0)).hasMessageContaining("multivariate_thresholds.lower");
        String json = month.toJson();
        assertThatThrownBy(() -> MonitoringReport.fromJson(json.replace("\"FIRING\"", "\"PENDING\"")))
                .isInstanceOf(CairnException.class).hasMessageContaining("alerts.state");
        assertThatThrownBy(() -> MonitoringReport.fromJson(json.replace("cairn.monitoring-report/v1", "cairn.monitoring-report/v9")))
                .hasMessageContaining("format");
        assertThatThrownBy(() -> MonitoringReport.fromJson(json.replace("2025-03-31T01:00:00Z", "yesterday")))
                .isInstanceOf(CairnException.class).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> MonitoringReport.read(dir.resolve("absent.json"))).hasMessageContaining("No monitoring report at");
    }
}

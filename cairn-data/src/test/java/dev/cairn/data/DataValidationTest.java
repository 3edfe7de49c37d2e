package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.report.ReportWriter.Report;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataValidationTest {
    private static final Path CREDIT = Path.of(System.getProperty("user.dir")).resolve("../examples/credit-risk").normalize();

    @TempDir
    Path dir;

    private final DataValidation data = new DataValidation();

    /** A run of our own: what a RunRecorder was given, kept in maps. */
    static final class RecordingRun implements RunRecorder {
        final Map<String, Double> metrics = new LinkedHashMap<>();
        final Map<String, String> artifacts = new LinkedHashMap<>();

        @Override
        public void logMetrics(Map<String, Double> values) {
            metrics.putAll(values);
        }

        @Override
        public void putArtifact(String path, String content) {
            artifacts.put(path, content);
        }
    }

    /** The example's reviewed schema (foreign_worker is yes/no text, as the reader types it: see BooleanColumnsTest). */
    private DataSpec creditSchema() throws Exception {
        return dev.cairn.data.schema.SpecYaml.read(Files.readString(CREDIT.resolve("schema.yaml")), "schema.yaml");
    }

    @Test
    void theCreditExamplePassesItsReviewedSchemaAndGetsSelfContainedReports() throws Exception {
        DataSpec spec = creditSchema();
        ProfiledValidation result = data.profileAndValidate(DataValidation.file(CREDIT.resolve("credit-g.csv")), spec, "TRAINING",
                MetricsHistory.NONE);
        assertThat(result.validation().failures()).isEmpty();
        assertThat(result.validation().checks()).isGreaterThan(40);
        assertThat(result.profile().rowCount()).isEqualTo(1000);

        Map<String, Report> reports = data.writeReports(dir, "credit-g", result);
        assertThat(Files.getPosixFilePermissions(reports.get("validation").html()))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        String html = Files.readString(reports.get("validation").html());
        assertThat(html).contains("PASSED").contains("domain purpose").doesNotContain("http://", "https://", "<script");
        String profileHtml = Files.readString(reports.get("profile").html());
        assertThat(profileHtml).contains("<svg").contains("credit_amount").doesNotContain("https://", "<script", "src=");
        JsonNode json = DataJson.MAPPER.readTree(reports.get("validation").json().toFile());
        assertThat(json.get("format").asText()).isEqualTo("cairn.validation/v1");
        assertThat(json.get("success").asBoolean()).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("credit-g.profile.json",
                    "credit-g.profile.html", "credit-g.validation.json", "credit-g.validation.html");
        }
    }

    @Test
    void servingDataWithoutTheLabelPassesAndAServingRowWithTheLabelFails() throws Exception {
        DataSpec spec = creditSchema();
        List<String> lines = Files.readAllLines(CREDIT.resolve("credit-g.csv"));
        List<String> serving = new ArrayList<>();
        for (String line : lines.subList(0, 201)) serving.add(line.substring(0, line.lastIndexOf(',')));
        Path file = dir.resolve("serving.csv");
        Files.write(file, serving);
        assertThat(data.validate(DataValidation.file(file), spec, "SERVING", MetricsHistory.NONE).success()).isTrue();
        assertThat(data.validate(DataValidation.file(CREDIT.resolve("credit-g.csv")), spec, "SERVING", MetricsHistory.NONE).failures())
                .extracting(r -> r.name()).containsExactly("absent class");
    }

    @Test
    void resultsAreStoredInARunAsArtifactsAndMetrics() throws Exception {
        Path parquet = TestFiles.parquet(dir, "d.parquet", 1_000, 0);
        var profile = data.profile(DataValidation.file(parquet));
        DataSpec spec = data.inferSchema(profile, "d", null);
        var validation = data.validate(DataValidation.file(parquet), spec, null, MetricsHistory.NONE);
        RecordingRun run = new RecordingRun();
        data.record(run, "train", profile);
        data.record(run, "train", validation);
        data.record(run, "train", data.drift(profile, profile, dev.cairn.data.drift.DriftOptions.DEFAULT));
        assertThat(run.artifacts).containsKeys("data/train/profile.json", "data/train/profile.html", "data/train/validation.json",
                "data/train/validation.html", "data/train/drift.json", "data/train/drift.html");
        assertThat(run.metrics).containsEntry("data.train.row_count", 1000.0).containsEntry("data.train.completeness.amount", 0.9)
                .containsEntry("data.train.checks_failed_error", 0.0).containsEntry("data.train.drift_share", 0.0);
        assertThat(RunRecorder.metricKey("data.x.completeness.a:b")).isEqualTo("data.x.completeness.a_b");
    }

    @Test
    void aLabelThatIsNotAColumnIsRefused() throws Exception {
        var profile = data.profile(DataValidation.file(TestFiles.parquet(dir, "d.parquet", 10, 0)));
        assertThatThrownBy(() -> data.inferSchema(profile, "d", "target")).hasMessageContaining("'target'").hasMessageContaining("grade");
    }
}

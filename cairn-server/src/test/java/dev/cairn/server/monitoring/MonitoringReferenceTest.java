package dev.cairn.server.monitoring;

import static dev.cairn.server.monitoring.MonitoredServer.MONITORING;
import static dev.cairn.server.monitoring.MonitoredServer.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose reference lacks the validation predictions (trained before they were stored, or imported):
 * the metrics that need them (CBPE's estimated performance, prediction drift) are absent, never NaN, the
 * status says why, and everything else (input drift, volume, realized performance from labels) is still there.
 */
@DisplayName("Monitoring a model whose reference has no validation predictions")
class MonitoringReferenceTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("no estimated.* and no prediction drift, a note saying why, input drift and realized performance as usual")
    void withoutValidationPredictions() throws Exception {
        try (MonitoredServer server = MonitoredServer.start(dir)) {
            Path runArtifacts = Path.of(URI.create(server.running.store().runs().getRun(server.runId).info().artifactUri()));
            Path predictions = runArtifacts.resolve("reference/validation_predictions.csv");
            assertThat(predictions).exists();
            assertThat(runArtifacts.resolve("reference/training_profile.json")).exists();
            Files.delete(predictions);

            SplittableRandom r = new SplittableRandom(42);
            List<MonitoredServer.Sent> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(server.predict("n-" + i, 0, day(0).plus(Duration.ofMinutes(30L * i)),
                        List.of(CreditCustomers.customer(r, i, false))));
            }
            assertThat(sent).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
            assertThat(server.rest.post(MONITORING + "/labels", MonitoredServer.labels(sent).toString()).status()).isEqualTo(201);
            assertThat(server.rest.post(MONITORING + "/refresh", "").status()).isEqualTo(200);

            JsonNode windows = server.rest.get(MONITORING + "/windows").json().path("windows");
            assertThat(windows).hasSize(1);
            JsonNode v = windows.get(0).path("values");
            List<String> names = new ArrayList<>();
            v.fieldNames().forEachRemaining(names::add);
            assertThat(names).noneMatch(n -> n.startsWith("estimated.")).noneMatch(n -> n.startsWith("prediction_drift."));
            assertThat(v.path("volume.rows").asDouble()).isEqualTo(40);
            assertThat(v.has("drift.share")).isTrue();
            assertThat(v.path("labels.coverage").asDouble()).isEqualTo(1.0);
            assertThat(v.has("realized.precision") || v.has("realized.accuracy")).isTrue();
            v.fields().forEachRemaining(e -> assertThat(e.getValue().isNumber()).as(e.getKey()).isTrue());

            JsonNode status = server.rest.get(MONITORING).json();
            assertThat(status.path("notes").toString()).contains("validation predictions");
            String html = server.rest.get(MONITORING + "/report").body();
            assertThat(html).contains("<svg");
        }
    }
}

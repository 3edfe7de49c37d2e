package dev.cairn.server.monitoring;

import static dev.cairn.server.monitoring.MonitoredServer.MODEL;
import static dev.cairn.server.monitoring.MonitoredServer.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment names that serving accepts but that are not plain path segments for the monitoring state
 * ({@code credit.v2}: a dot; up to 128 characters): they must be monitored under their own name, listed as
 * themselves, and no other name may share their state.
 */
@DisplayName("Monitoring of deployments whose names hold a dot")
class MonitoringDeploymentNamesTest {
    static final String DOTTED = "credit.v2";
    static final String BASE = "/api/v1/monitoring/deployments/" + DOTTED;

    @TempDir
    Path dir;

    private static void traffic(MonitoredServer server, int k, int n) {
        SplittableRandom r = new SplittableRandom(500 + k);
        for (int i = 0; i < n; i++) {
            Instant at = day(k).plus(Duration.ofHours(3)).plus(Duration.ofMinutes(20L * i));
            var body = Rest.JSON.createObjectNode();
            body.set("inputs", Rest.JSON.valueToTree(CreditCustomers.customer(r, 100L * k + i, false).row()));
            Rest.Response answer = server.rest.send("POST", "/api/v1/deployments/" + DOTTED + "/predict", body.toString(),
                    "application/json", Map.of("X-Cairn-Prediction-Time", at.toString(), "X-Request-Id", "v2-" + k + "-" + i));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a dotted deployment is listed under its own name only, and refreshing every listed name loses none of its rows")
    void dottedNameIsListedAsItselfAndKeepsItsRows() throws Exception {
        try (MonitoredServer server = MonitoredServer.start(dir)) {
            Rest rest = server.rest;
            Rest.Response deployed = rest.send("PUT", "/api/v1/deployments/" + DOTTED,
                    "{\"targets\": [{\"model\": \"models:/" + MODEL + "/1\", \"weight\": 100}]}", "application/json", Map.of());
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
            Rest.Response rules = rest.send("PUT", BASE + "/alerts", """
                    rules:
                      - name: any-traffic
                        metric: volume.rows
                        comparison: ">"
                        threshold: 0
                    """, "application/yaml", Map.of());
            assertThat(rules.status()).as(rules.body()).isEqualTo(200);

            traffic(server, 0, 20);
            assertThat(rest.post(BASE + "/refresh", "").status()).isEqualTo(200);
            Rest.Response labels = rest.post(BASE + "/labels", "{\"labels\": [{\"id\": \"v2-0-0\", \"label\": \"bad\"}]}");
            assertThat(labels.status()).as(labels.body()).isEqualTo(201);
            assertThat(windowRows(rest)).containsExactly(20.0);
            assertThat(rest.get(BASE + "/alerts").json().path("events")).hasSize(1);

            // Every name monitoring lists is a deployment: the server's loop refreshes each of them, as done here.
            List<String> listed = new ArrayList<>();
            for (JsonNode d : rest.get("/api/v1/monitoring/deployments").json().path("deployments")) listed.add(d.path("deployment").asText());
            // The server's loop refreshes the served names, then every listed one; when the log rolls a segment in between,
            // the other listed names are refreshed first for that segment, as here.
            traffic(server, 1, 10);
            for (String name : listed) {
                if (name.equals(DOTTED)) continue;
                assertThat(rest.post("/api/v1/monitoring/deployments/" + name + "/refresh", "").status()).isEqualTo(200);
            }
            assertThat(rest.post(BASE + "/refresh", "").status()).isEqualTo(200);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(listed).as("monitored deployments").containsExactly(DOTTED);
            softly.assertThat(windowRows(rest)).as("rows per day window of " + DOTTED).containsExactly(20.0, 10.0);
            softly.assertAll();
        }
    }

    private static List<Double> windowRows(Rest rest) {
        List<Double> rows = new ArrayList<>();
        for (JsonNode w : rest.get(BASE + "/windows").json().path("windows")) rows.add(w.path("values").path("volume.rows").asDouble());
        return rows;
    }
}

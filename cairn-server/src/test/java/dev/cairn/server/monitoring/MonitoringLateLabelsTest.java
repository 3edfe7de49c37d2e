package dev.cairn.server.monitoring;

import static dev.cairn.server.monitoring.MonitoredServer.MONITORING;
import static dev.cairn.server.monitoring.MonitoredServer.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert on realized performance, whose labels arrive days late: a closed window without labels is no data
 * for the rule; when its labels are posted the next refresh evaluates it; of several labels for one prediction the
 * latest counts.
 */
@DisplayName("Alerts on realized performance as labels arrive late")
class MonitoringLateLabelsTest {
    static final String RULES = """
            rules:
              - name: realized-accuracy
                metric: realized.accuracy
                comparison: "<"
                threshold: 0.95
            """;

    @TempDir
    Path dir;

    @Test
    @DisplayName("no data until labels arrive, FIRING on the labeled window, RESOLVED when later labels (the latest win) say the model was right")
    void realizedAlertFollowsTheLabels() throws Exception {
        try (MonitoredServer server = MonitoredServer.start(dir)) {
            Rest rest = server.rest;
            assertThat(rest.send("PUT", MONITORING + "/alerts", RULES, "application/yaml", Map.of()).status()).isEqualTo(200);
            List<List<MonitoredServer.Sent>> days = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                SplittableRandom r = new SplittableRandom(90 + k);
                List<MonitoredServer.Sent> sent = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    MonitoredServer.Sent s = server.predict("l" + k + "-" + i, k, day(k).plus(Duration.ofMinutes(40L * i)),
                            List.of(CreditCustomers.customer(r, 100L * k + i, false)));
                    assertThat(s.status()).isEqualTo(200);
                    sent.add(s);
                }
                days.add(sent);
            }
            assertThat(refresh(rest)).as("no labels: no data for the rule").isEmpty();
            assertThat(rest.get(MONITORING + "/windows").json().path("windows")).allSatisfy(w ->
                    assertThat(w.path("values").has("realized.accuracy")).isFalse());

            // Day 1's true labels: the model is far from 95% accurate on them.
            assertThat(rest.post(MONITORING + "/labels", MonitoredServer.labels(days.get(1)).toString()).status()).isEqualTo(201);
            assertThat(realizedAccuracy(rest, 1)).isLessThan(0.95);
            assertThat(refresh(rest)).containsExactly("FIRING " + day(1));
            assertThat(refresh(rest)).as("again: nothing new").containsExactly("FIRING " + day(1));

            // Day 0's labels come after day 1 was evaluated: that window is behind the rule and stays unevaluated.
            assertThat(rest.post(MONITORING + "/labels", MonitoredServer.labels(days.get(0)).toString()).status()).isEqualTo(201);
            assertThat(realizedAccuracy(rest, 0)).isNotNull();
            assertThat(refresh(rest)).containsExactly("FIRING " + day(1));

            // Day 2: first the true labels, then corrections known an hour later saying the model was right every time.
            assertThat(rest.post(MONITORING + "/labels", MonitoredServer.labels(days.get(2)).toString()).status()).isEqualTo(201);
            ObjectNode corrections = Rest.JSON.createObjectNode().put("join_on", "request_id");
            ArrayNode labels = corrections.putArray("labels");
            for (MonitoredServer.Sent s : days.get(2)) {
                labels.addObject().put("id", s.id()).put("label", s.predictedLabel(0)).put("time", s.time().plus(Duration.ofHours(49)).toString());
            }
            assertThat(rest.post(MONITORING + "/labels", corrections.toString()).status()).isEqualTo(201);
            assertThat(realizedAccuracy(rest, 2)).isEqualTo(1.0);
            assertThat(refresh(rest)).containsExactly("FIRING " + day(1), "RESOLVED " + day(2));

            JsonNode alerts = rest.get(MONITORING + "/alerts").json();
            assertThat(alerts.path("events")).hasSize(2);
            assertThat(alerts.path("firing")).isEmpty();
        }
    }

    /**
     * Refreshes, and answers the whole alert history: the transitions are read from the history rather than from the
     * refresh's answer, since the server's own loop may refresh first (then this refresh has nothing to do).
     */
    private static List<String> refresh(Rest rest) {
        Rest.Response r = rest.post(MONITORING + "/refresh", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode t : rest.get(MONITORING + "/alerts").json().path("events")) {
            out.add(t.path("state").asText() + " " + Instant.parse(t.path("window_start").asText()));
        }
        return out;
    }

    private static Double realizedAccuracy(Rest rest, int k) {
        for (JsonNode w : rest.get(MONITORING + "/windows").json().path("windows")) {
            if (Instant.parse(w.path("start").asText()).equals(day(k))) {
                JsonNode v = w.path("values").path("realized.accuracy");
                return v.isMissingNode() ? null : v.asDouble();
            }
        }
        return null;
    }
}

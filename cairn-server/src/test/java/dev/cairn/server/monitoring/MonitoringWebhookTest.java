package dev.cairn.server.monitoring;

import static dev.cairn.server.monitoring.MonitoredServer.DEPLOYMENT;
import static dev.cairn.server.monitoring.MonitoredServer.MONITORING;
import static dev.cairn.server.monitoring.MonitoredServer.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.alert.AlertEvents;
import dev.cairn.monitor.alert.AlertRules;
import dev.cairn.monitor.alert.AlertState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert webhooks end to end: rules with a webhook are installed with the Java API ({@code Monitoring.installRules},
 * as {@code cairn monitor alerts --rules} does on the server's host; REST refuses webhooks), traffic of one past day
 * at a time is replayed into a real server, and the deployment is refreshed after each day, and again. Drift goes on
 * and off across the days, so the local receiver must get exactly one FIRING and one RESOLVED event per episode, in
 * order, with the event id in the body and in {@code X-Cairn-Event-Id}, and the webhook's own header.
 */
@DisplayName("Alert webhooks: exactly one FIRING and one RESOLVED per episode over many refreshes")
class MonitoringWebhookTest {
    /** Drift on days 1-2 and 4: two episodes, the first over two windows. */
    static final boolean[] SHIFTED = {false, true, true, false, true, false};
    static final int PER_DAY = 60;

    @TempDir
    Path dir;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String eventId, String authorization, String contentType, JsonNode body) {}

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/cairn", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Cairn-Event-Id"),
                        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                        Rest.JSON.readTree(body)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    @DisplayName("drift on, on, off, on, off across six days refreshed one by one: FIRING, RESOLVED, FIRING, RESOLVED, nothing twice")
    void oneFiringAndOneResolvedPerEpisode() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/cairn";
        String yaml = """
                window: day
                webhooks:
                  - url: %s
                    headers: {Authorization: Bearer test-token}
                rules:
                  - name: input-drift
                    metric: drift.share
                    comparison: ">="
                    threshold: 0.5
                    severity: critical
                  - name: refused-requests
                    metric: volume.refused_rate
                    comparison: ">"
                    threshold: 0.5
                """.formatted(url);
        List<AlertEvent> inProcess = new CopyOnWriteArrayList<>();
        List<String> refreshTransitions = new ArrayList<>();
        try (MonitoredServer server = MonitoredServer.start(dir)) {
            AlertRules installed = server.running.monitoring().installRules(DEPLOYMENT, yaml);
            assertThat(installed.webhooks()).hasSize(1);
            AlertEvents.Subscription subscription = server.running.monitoring().events().subscribe(inProcess::add);
            for (int k = 0; k < SHIFTED.length; k++) {
                SplittableRandom r = new SplittableRandom(7_000 + k);
                for (int i = 0; i < PER_DAY; i++) {
                    Instant at = day(k).plus(Duration.ofHours(2)).plus(Duration.ofMinutes(15L * i));
                    MonitoredServer.Sent sent = server.predict("w" + k + "-" + i, k, at,
                            List.of(CreditCustomers.customer(r, 10_000L * k + i, SHIFTED[k])));
                    assertThat(sent.status()).as(sent.answer().toString()).isEqualTo(200);
                }
                for (int again = 0; again < 3; again++) {
                    Rest.Response refreshed = server.rest.post(MONITORING + "/refresh", "");
                    assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
                    for (JsonNode t : refreshed.json().path("transitions")) {
                        refreshTransitions.add(t.path("state").asText() + " " + t.path("window_start").asText());
                    }
                }
            }
            // A refresh through the Java API, as the server's loop makes it, changes nothing either.
            server.running.monitoring().refresh(DEPLOYMENT, dev.cairn.data.source.Progress.NONE);
            subscription.close();
        } // closing the server drains the webhook's pending deliveries

        List<String> expected = List.of("FIRING " + day(1), "RESOLVED " + day(3), "FIRING " + day(4), "RESOLVED " + day(5));
        assertThat(received).extracting(x -> x.body().path("state").asText() + " " + Instant.parse(x.body().path("window_start").asText()))
                .containsExactlyElementsOf(expected);
        assertThat(received).allSatisfy(x -> {
            assertThat(x.body().path("rule").asText()).isEqualTo("input-drift");
            assertThat(x.body().path("deployment").asText()).isEqualTo(DEPLOYMENT);
            assertThat(x.body().path("severity").asText()).isEqualTo("critical");
            assertThat(x.eventId()).isEqualTo(x.body().path("id").asText());
            assertThat(x.authorization()).isEqualTo("Bearer test-token");
            assertThat(x.contentType()).startsWith("application/json");
        });
        Instant[] episodes = {day(1), day(1), day(4), day(4)};
        for (int i = 0; i < received.size(); i++) {
            JsonNode body = received.get(i).body();
            assertThat(Instant.parse(body.path("episode_started").asText())).as("event %d", i).isEqualTo(episodes[i]);
            assertThat(received.get(i).eventId()).isEqualTo(AlertEvent.idOf(DEPLOYMENT, "input-drift", episodes[i],
                    AlertState.valueOf(body.path("state").asText())));
        }
        assertThat(received.get(0).body().has("value")).isTrue();
        assertThat(received).extracting(Received::eventId).doesNotHaveDuplicates();
        // The refreshes answered the transitions they made (the server's own loop may have made some first, never twice).
        assertThat(refreshTransitions).doesNotHaveDuplicates().isSubsetOf(expected.stream()
                .map(e -> e.split(" ")[0] + " " + e.split(" ")[1]).toList());
        assertThat(inProcess).extracting(e -> e.state() + " " + e.windowStart()).containsExactlyElementsOf(expected);
    }
}

package dev.cairn.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookListenerTest {
    /** Milliseconds of back-off keep the test fast; the retry logic is the same as with seconds. */
    static final WebhookListener.Settings FAST = WebhookListener.Settings.DEFAULTS
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));

    record Received(String eventId, String contentType, String token, String body) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    HttpServer server;

    /** A receiver answering attempt n (1-based) with {@code status.applyAsInt(n)}; it records the 2xx ones. */
    String receiver(IntUnaryOperator status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/cairn", exchange -> {
            int code = status.applyAsInt(attempts.incrementAndGet());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (code / 100 == 2) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Cairn-Event-Id"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("X-Token"), body));
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/cairn";
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    static AlertEvent event() {
        AlertRule rule = new AlertRule("precision-estimate", "estimated.precision", Comparison.LESS, 0.7);
        return AlertEvent.of(AlertState.FIRING, rule, Windows.window(2, "estimated.precision", 0.62), 0.62, Windows.day(2));
    }

    @Test
    void a503IsRetriedAndTheEventArrivesExactlyOnce() throws Exception {
        String url = receiver(n -> n == 1 ? 503 : 200);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertEvent event = event();
        WebhookListener webhook = new WebhookListener(new Webhook(url, Map.of("X-Token", "t0k")), FAST, registry);

        webhook.on(event);
        webhook.close();

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.eventId()).isEqualTo(event.id());
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.token()).isEqualTo("t0k");
            assertThat(AlertEvent.fromJson(r.body())).isEqualTo(event);
        });
        assertThat(webhook.delivered()).isEqualTo(1);
        assertThat(webhook.failed()).isZero();
        assertThat(registry.get(WebhookListener.DELIVERIES).tag("outcome", "delivered").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(WebhookListener.DELIVERIES).tag("outcome", "failed").counter().count()).isZero();
    }

    @Test
    void a400IsNotRetried() throws Exception {
        String url = receiver(n -> 400);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WebhookListener webhook = new WebhookListener(new Webhook(url), FAST, registry);

        webhook.on(event());
        webhook.close();

        assertThat(attempts.get()).isEqualTo(1);
        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(webhook.delivered()).isZero();
        assertThat(registry.get(WebhookListener.DELIVERIES).tag("outcome", "failed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void a429IsRetriedAndRetriesEndAfterTheLastAttempt() throws Exception {
        String url = receiver(n -> n <= 2 ? 429 : 500);
        WebhookListener webhook = new WebhookListener(new Webhook(url), FAST.withAttempts(4), null);

        webhook.on(event());
        webhook.close();

        assertThat(attempts.get()).isEqualTo(4);
        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void aConnectionErrorIsRetried() throws Exception {
        String url = receiver(n -> 200);
        server.stop(0);
        server = null;
        WebhookListener webhook = new WebhookListener(new Webhook(url), FAST.withAttempts(3), null);

        webhook.on(event());
        webhook.close();

        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(webhook.pending()).isZero();
    }

    @Test
    void closeGivesUpOnWhatIsStillPendingAfterItsBound() throws Exception {
        String url = receiver(n -> 503);
        WebhookListener.Settings slow = new WebhookListener.Settings(5, Duration.ofSeconds(30), 2.0, Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200));
        WebhookListener webhook = new WebhookListener(new Webhook(url), slow, null);

        webhook.on(event());
        // The first attempt has been answered (503) and the retry is 30 s away when close() starts.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (attempts.get() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
        long started = System.nanoTime();
        webhook.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(webhook.pending()).isZero();
        // Closed: a later event is counted as failed, not sent.
        webhook.on(event());
        assertThat(webhook.failed()).isEqualTo(2);
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void eachDeploymentsEventsGoToItsOwnWebhooks() throws Exception {
        String url = receiver(n -> 200);
        AlertWebhooks webhooks = new AlertWebhooks(FAST, null);
        webhooks.configure("credit", List.of(new Webhook(url, Map.of("X-Token", "credit"))));
        webhooks.configure("fraud", List.of(new Webhook(url, Map.of("X-Token", "fraud"))));
        WebhookListener credit = webhooks.listeners("credit").get(0);
        webhooks.configure("credit", List.of(new Webhook(url, Map.of("X-Token", "credit"))));
        assertThat(webhooks.listeners("credit")).containsExactly(credit);

        webhooks.on(event());
        webhooks.configure("fraud", List.of());
        webhooks.on(new AlertEvent("x", "fraud", "fraud", "1", "r", AlertState.FIRING, AlertSeverity.INFO, "drift.share",
                Comparison.GREATER, 0.3, 0.5, Windows.day(0), Windows.day(1), Windows.day(0), null));
        webhooks.close();

        assertThat(received).extracting(Received::token).containsExactly("credit");
        assertThat(credit.delivered()).isEqualTo(1);
        assertThat(webhooks.listeners("credit")).isEmpty();
    }

    @Test
    void backoffDoublesUpToItsCap() {
        WebhookListener.Settings s = WebhookListener.Settings.DEFAULTS;
        assertThat(List.of(s.backoff(1), s.backoff(2), s.backoff(3), s.backoff(4)))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(s.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(3)).backoff(5)).isEqualTo(Duration.ofSeconds(3));
    }
}

package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each event's JSON ({@link AlertEvent#toJson()}) to a webhook, with {@code Content-Type: application/json}
 * and {@code X-Cairn-Event-Id} (receivers dedupe on it), plus the webhook's own headers.
 * <p>
 * Delivery is asynchronous on this listener's own thread, so evaluation never waits for a receiver. A
 * connection error, a timeout, a 5xx or a 429 is retried with exponential back-off ({@link Settings}); any other
 * non-2xx answer is final (the receiver refused this event, and would refuse it again). Events are sent one at
 * a time, in order, except that an event waiting for a retry does not hold back the next one.
 * {@link #close()} waits for pending deliveries (retries included) up to {@link Settings#drainTimeout()}, then
 * gives up on the rest, counting them as failed.
 * <p>
 * Counts {@value #DELIVERIES} {webhook (host:port), outcome (delivered|failed)} when given a registry.
 */
public final class WebhookListener implements AlertListener, AutoCloseable {
    public static final String DELIVERIES = "cairn.monitor.alert.webhook.deliveries";
    public static final String EVENT_ID_HEADER = "X-Cairn-Event-Id";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookListener.class);

    /**
     * Delivery settings.
     *
     * @param attempts       tries per event, the first included (at least 1)
     * @param initialBackoff the wait before the second try; each further wait is {@code multiplier} times longer,
     *                       up to {@code maxBackoff}
     * @param requestTimeout how long one try may take, answer included
     * @param drainTimeout   how long {@link #close()} waits for pending deliveries
     */
    public record Settings(int attempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                           Duration connectTimeout, Duration requestTimeout, Duration drainTimeout) {
        /** 5 tries 0.5 s, 1 s, 2 s, 4 s apart; 5 s to connect, 10 s per request; 15 s to drain on close. */
        public static final Settings DEFAULTS = new Settings(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15));

        public Settings {
            if (attempts < 1) throw CairnException.invalid("attempts", attempts, "at least 1");
            positive("initial_backoff", initialBackoff, true);
            if (!(multiplier >= 1.0) || !Double.isFinite(multiplier)) throw CairnException.invalid("multiplier", multiplier, "a number of at least 1");
            positive("max_backoff", maxBackoff, true);
            positive("connect_timeout", connectTimeout, false);
            positive("request_timeout", requestTimeout, false);
            positive("drain_timeout", drainTimeout, true);
        }

        /** These settings with another back-off (tests use milliseconds). */
        public Settings withBackoff(Duration initial, Duration max) {
            return new Settings(attempts, initial, multiplier, max, connectTimeout, requestTimeout, drainTimeout);
        }

        public Settings withAttempts(int attempts) {
            return new Settings(attempts, initialBackoff, multiplier, maxBackoff, connectTimeout, requestTimeout, drainTimeout);
        }

        /** The wait after failed try number {@code attempt} (1-based). */
        Duration backoff(int attempt) {
            double millis = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
            return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
        }

        private static void positive(String field, Duration d, boolean zeroAllowed) {
            if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw CairnException.invalid(field, d, zeroAllowed ? "a duration of zero or more" : "a positive duration");
            }
        }
    }

    /** One event on its way; finished once, whether delivered, failed or abandoned at close. */
    private final class Delivery {
        final AlertEvent event;
        final byte[] body;
        final AtomicBoolean done = new AtomicBoolean();

        Delivery(AlertEvent event) {
            this.event = event;
            this.body = event.toJson().getBytes(StandardCharsets.UTF_8);
        }

        void finish(boolean ok, String why) {
            if (!done.compareAndSet(false, true)) return;
            pending.remove(this);
            if (ok) {
                delivered.incrementAndGet();
                if (deliveredCounter != null) deliveredCounter.increment();
            } else {
                failed.incrementAndGet();
                if (failedCounter != null) failedCounter.increment();
                LOG.warn("Alert webhook {}: gave up on {} {} of deployment {} (event {}): {}", webhook.redacted(), event.state(),
                        event.rule(), event.deployment(), event.id(), why);
            }
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }

    private final Webhook webhook;
    private final URI uri;
    private final Settings settings;
    private final HttpClient client;
    private final ScheduledExecutorService executor;
    private final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Counter deliveredCounter;
    private final Counter failedCounter;
    private volatile boolean closed;

    public WebhookListener(Webhook webhook) {
        this(webhook, Settings.DEFAULTS, null);
    }

    /** {@code registry} may be null: then only {@link #delivered()} and {@link #failed()} count. */
    public WebhookListener(Webhook webhook, Settings settings, MeterRegistry registry) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.uri = webhook.uri();
        String target = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-alert-webhook-" + target);
            t.setDaemon(true);
            return t;
        });
        if (registry == null) {
            deliveredCounter = null;
            failedCounter = null;
        } else {
            deliveredCounter = Counter.builder(DELIVERIES).tag("webhook", target).tag("outcome", "delivered")
                    .description("Alert events a webhook accepted").register(registry);
            failedCounter = Counter.builder(DELIVERIES).tag("webhook", target).tag("outcome", "failed")
                    .description("Alert events given up on (refused, retries exhausted, or pending at shutdown)").register(registry);
        }
    }

    public Webhook webhook() {
        return webhook;
    }

    /** Events the webhook accepted (2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Events given up on: refused (4xx other than 429), retries exhausted, or still pending when closed. */
    public long failed() {
        return failed.get();
    }

    /** Deliveries not finished yet (sending, or waiting to retry). */
    public int pending() {
        return pending.size();
    }

    @Override
    public void on(AlertEvent event) {
        Delivery d = new Delivery(event);
        if (closed) {
            d.finish(false, "the webhook listener is closed");
            return;
        }
        pending.add(d);
        try {
            executor.execute(() -> attempt(d, 1));
        } catch (RejectedExecutionException e) {
            d.finish(false, "the webhook listener is closed");
        }
    }

    private void attempt(Delivery d, int attempt) {
        if (d.done.get()) return;
        String retryable;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header(EVENT_ID_HEADER, d.event.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body));
            webhook.headers().forEach(request::header);
            int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                d.finish(true, null);
                return;
            }
            if (status < 500 && status != 429) {
                d.finish(false, "HTTP " + status + " (not retried: the receiver refused the event)");
                return;
            }
            retryable = "HTTP " + status;
        } catch (IOException e) {
            retryable = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.finish(false, "interrupted (shutting down)");
            return;
        } catch (RuntimeException e) {
            d.finish(false, e.toString());
            return;
        }
        if (attempt >= settings.attempts()) {
            d.finish(false, retryable + " after " + attempt + " attempts");
            return;
        }
        Duration wait = settings.backoff(attempt);
        LOG.info("Alert webhook {}: attempt {} of {} for event {} failed ({}); retrying in {} ms", webhook.redacted(), attempt,
                settings.attempts(), d.event.id(), retryable, wait.toMillis());
        try {
            executor.schedule(() -> attempt(d, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            d.finish(false, retryable + "; no retry: the webhook listener is closed");
        }
    }

    /**
     * Stops taking events and waits up to {@link Settings#drainTimeout()} for those pending (retries included);
     * whatever is still pending then is counted as failed.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        synchronized (pending) {
            while (!pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    TimeUnit.NANOSECONDS.timedWait(pending, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        executor.shutdownNow();
        for (Delivery d : Set.copyOf(pending)) d.finish(false, "still pending when the webhook listener closed");
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "WebhookListener[" + webhook.redacted() + "]";
    }
}

package dev.cairn.server.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The serving metrics, exported in Prometheus' text format at {@code /metrics}:
 * {@code cairn_serving_request_seconds} (a histogram, its {@code _count} the number of requests) and
 * {@code cairn_serving_errors_total} per deployment and model version, requests refused for
 * overload, requests in flight, and the prediction log's queue depth and drops.
 */
public final class ServingMetrics {

    private final PrometheusMeterRegistry registry;
    private final Counter rejected;

    public ServingMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public ServingMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.rejected = Counter.builder("cairn.serving.rejected")
                .description("Requests refused with 503 because the concurrency limit was reached or the server was draining")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** The meters of one model version serving one deployment, created once when a route is built. */
    RouteMeters route(String deployment, String modelName, String modelVersion, boolean shadow) {
        String role = shadow ? "shadow" : "primary";
        Timer latency = Timer.builder("cairn.serving.request")
                .description("Time to answer a prediction request, from parsed input to rendered output")
                .tags("deployment", deployment, "model", modelName, "model_version", modelVersion, "role", role)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        Counter clientErrors = Counter.builder("cairn.serving.errors")
                .description("Prediction requests that failed, by kind (client: bad input; server: the model failed)")
                .tags("deployment", deployment, "model", modelName, "model_version", modelVersion, "role", role, "kind", "client")
                .register(registry);
        Counter serverErrors = Counter.builder("cairn.serving.errors")
                .description("Prediction requests that failed, by kind (client: bad input; server: the model failed)")
                .tags("deployment", deployment, "model", modelName, "model_version", modelVersion, "role", role, "kind", "server")
                .register(registry);
        Counter rows = Counter.builder("cairn.serving.rows")
                .description("Rows predicted")
                .tags("deployment", deployment, "model", modelName, "model_version", modelVersion, "role", role)
                .register(registry);
        return new RouteMeters(latency, clientErrors, serverErrors, rows);
    }

    void rejected() {
        rejected.increment();
    }

    long rejectedCount() {
        return (long) rejected.count();
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    record RouteMeters(Timer latency, Counter clientErrors, Counter serverErrors, Counter rows) {}
}

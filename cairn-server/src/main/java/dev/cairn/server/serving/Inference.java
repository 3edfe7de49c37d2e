package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Prediction;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one parsed request on a deployment, whatever protocol it came in: picks the version (by
 * weight, sticky key or an explicit version), predicts, records metrics and the rollback window,
 * offers the request to the prediction log and hands it to the shadow, if any, on a bounded
 * executor of its own so that a slow shadow never slows the answer.
 */
public final class Inference implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Inference.class);

    /** What a request got: the version that answered, its predictions and the request id. */
    public record Answer(String requestId, Deployment deployment, ServedModel model, List<Prediction> predictions) {}

    private final PredictionLog log;
    private final FeatureServing features;
    private final ThreadPoolExecutor shadows;
    private final Counter shadowDropped;

    /** @param log the prediction log, or null to log nothing */
    public Inference(PredictionLog log, ServingMetrics metrics) {
        this(log, metrics, FeatureServing.none());
    }

    /** @param features the online store deployments with a feature service read their rows' features from */
    public Inference(PredictionLog log, ServingMetrics metrics, FeatureServing features) {
        this.log = log;
        this.features = features;
        this.shadows = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
                Thread.ofPlatform().name("cairn-shadow-", 0).daemon(true).factory(), (task, executor) -> { });
        this.shadowDropped = metrics.counter("cairn.serving.shadow.dropped",
                "Shadow requests skipped because the shadow's queue was full");
        metrics.gauge("cairn.serving.shadow.queue.depth", "Requests waiting for the shadow model", () -> shadows.getQueue().size());
    }

    public PredictionLog log() {
        return log;
    }

    /**
     * @param version a version to answer with (the OIP {@code /versions/{v}} path), or null to route
     * @param explain whether predictions carry contributions
     * @param requestId the client's id (X-Request-Id), or null for a new one
     */
    public Answer infer(Deployment deployment, ParsedInput input, String version, boolean explain, String protocol,
                        String requestId) {
        return infer(deployment, input, version, explain, protocol, requestId, null);
    }

    /**
     * As {@link #infer(Deployment, ParsedInput, String, boolean, String, String)}, logged at {@code predictionTime}
     * instead of now when given: traffic replayed or forwarded late carries the time it was predicted for, so
     * monitoring puts it in its window (as Arize's and NannyML's prediction timestamps do).
     */
    public Answer infer(Deployment deployment, ParsedInput input, String version, boolean explain, String protocol,
                        String requestId, java.time.Instant predictionTime) {
        Deployment.Route route;
        if (version != null) {
            route = deployment.byVersion(version);
            if (route == null) {
                throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Deployment '" + deployment.name()
                        + "' does not serve version '" + version + "' (it serves " + Deployments.describe(deployment) + ")",
                        Map.of("field", "version", "value", version, "expected", "a version the deployment serves"));
            }
        } else {
            String key = deployment.spec().stickyKey();
            route = deployment.choose(key == null ? null : input.firstValue(key));
        }
        String id = requestId != null ? requestId : newRequestId();
        Long loggedAt = predictionTime == null ? null : predictionTime.toEpochMilli();
        long start = System.nanoTime();
        List<Map<String, Object>> rows = null;
        try {
            rows = route.model().rowsOf(input);
            if (deployment.features() != null) rows = withFeatures(deployment, input, rows);
            List<Prediction> predictions = route.model().predict(rows, explain);
            long elapsed = System.nanoTime() - start;
            route.meters().latency().record(elapsed, TimeUnit.NANOSECONDS);
            route.meters().rows().increment(predictions.size());
            route.window().record(System.currentTimeMillis(), elapsed, false);
            boolean logged = log != null && log.sampled();
            if (logged) {
                log.offer(new PredictionLog.Entry(id, loggedAt != null ? loggedAt : System.currentTimeMillis(), deployment.name(),
                        route.model().name(), route.model().version(), false, protocol, rows, predictions, null, null, elapsed / 1000));
            }
            Deployment.Route shadow = deployment.shadow();
            if (shadow != null) shadow(deployment, shadow, rows, id, protocol, logged, loggedAt);
            return new Answer(id, deployment, route.model(), predictions);
        } catch (CairnException e) {
            long elapsed = System.nanoTime() - start;
            boolean server = e.code().kind() == ErrorCode.Kind.INTERNAL;
            (server ? route.meters().serverErrors() : route.meters().clientErrors()).increment();
            route.window().record(System.currentTimeMillis(), elapsed, true);
            logFailure(deployment, route, rows, id, protocol, e.getMessage(),
                    e instanceof InvalidInputException invalid ? invalid.fields() : null, elapsed, loggedAt);
            throw e;
        } catch (RuntimeException e) {
            long elapsed = System.nanoTime() - start;
            route.meters().serverErrors().increment();
            route.window().record(System.currentTimeMillis(), elapsed, true);
            logFailure(deployment, route, rows, id, protocol, e.toString(), null, elapsed, loggedAt);
            LOG.error("{} failed on request {}", route.model(), id, e);
            throw new CairnException(ErrorCode.INTERNAL_ERROR,
                    "The model " + route.model() + " failed on request " + id + "; the server log has the details", e);
        }
    }

    /**
     * The rows completed with the deployment's feature service (see {@link RowCompletion}): what the model validates
     * and predicts on, and the log records. Positional rows have no field names to find join keys by.
     */
    private List<Map<String, Object>> withFeatures(Deployment deployment, ParsedInput input, List<Map<String, Object>> rows) {
        if (input.named() == null) {
            throw Problems.fatal("inputs", "positional values", "rows of named fields: deployment '" + deployment.name()
                    + "' completes each row with feature service '" + deployment.features().name() + "' by its join keys ("
                    + String.join(", ", deployment.features().joinKeys()) + ")");
        }
        return RowCompletion.complete(deployment.features(), features.store(), rows, java.time.Instant.now());
    }

    private void logFailure(Deployment deployment, Deployment.Route route, List<Map<String, Object>> rows, String id,
                            String protocol, String error, List<String> errorFields, long elapsed, Long loggedAt) {
        if (log != null && rows != null && log.sampled()) {
            log.offer(new PredictionLog.Entry(id, loggedAt != null ? loggedAt : System.currentTimeMillis(), deployment.name(), route.model().name(),
                    route.model().version(), false, protocol, rows, null, error, errorFields, elapsed / 1000));
        }
    }

    private void shadow(Deployment deployment, Deployment.Route shadow, List<Map<String, Object>> rows, String id,
                        String protocol, boolean logged, Long loggedAt) {
        if (shadows.getQueue().remainingCapacity() == 0) {
            shadowDropped.increment();
            return;
        }
        shadows.execute(() -> {
            long start = System.nanoTime();
            List<Prediction> predictions = null;
            String error = null;
            try {
                predictions = shadow.model().predict(rows, false);
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            long elapsed = System.nanoTime() - start;
            shadow.meters().latency().record(elapsed, TimeUnit.NANOSECONDS);
            if (error != null) shadow.meters().clientErrors().increment();
            shadow.window().record(System.currentTimeMillis(), elapsed, error != null);
            if (logged) {
                log.offer(new PredictionLog.Entry(id, loggedAt != null ? loggedAt : System.currentTimeMillis(), deployment.name(), shadow.model().name(),
                        shadow.model().version(), true, protocol, rows, predictions, error, null, elapsed / 1000));
            }
        });
    }

    /** A random (version 4) UUID from the thread's own generator: no lock shared by request threads. */
    static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** Waits until the shadow queue is empty (tests and shutdown), at most {@code millis}. */
    public void awaitShadows(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while ((shadows.getActiveCount() > 0 || !shadows.getQueue().isEmpty()) && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Override
    public void close() {
        shadows.shutdown();
        try {
            shadows.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

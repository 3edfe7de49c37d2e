package dev.cairn.server.serving;

import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.runtime.ModelResolver;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything serving needs, wired once: metrics, the model loader, the deployments, the prediction
 * log, admission control, the rollback monitor and the background jobs (rollback checks every
 * second, alias re-resolution, unloading of unused versions). A full {@code cairn server} adds
 * {@link #api()} and {@link #metricsRoutes()} to its route groups; {@link ServingServer} serves them alone.
 */
public final class Serving implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

    private final ServingConfig config;
    private final ServingMetrics metrics;
    private final Deployments deployments;
    private final PredictionLog log;
    private final Inference inference;
    private final Admission admission;
    private final RollbackMonitor rollback;
    private final ServingApi api;
    private final ScheduledExecutorService scheduler;

    /**
     * @param registry the registry that resolves {@code models:/} aliases and records deployment
     *                 changes; null to serve package paths only
     * @param resolver turns {@code models:/name/version} and {@code runs:/} into local packages; null likewise
     */
    public Serving(ServingConfig config, RegistryStore registry, ModelResolver resolver) {
        this(config, registry, resolver, FeatureServing.none());
    }

    /**
     * As above, deployments that declare a feature service reading it through {@code features} (which this closes on
     * {@link #close()}).
     */
    public Serving(ServingConfig config, RegistryStore registry, ModelResolver resolver, FeatureServing features) {
        this.config = config;
        this.metrics = new ServingMetrics();
        this.deployments = new Deployments(new ModelLoader(registry, resolver, config.warmUpIterations()), metrics, registry, features);
        this.log = config.logDir() == null ? null : new PredictionLog(config.logDir(), config.logQueueCapacity(),
                config.logSampleRate(), 200_000, config.logRollInterval(), metrics);
        this.inference = new Inference(log, metrics, features);
        this.admission = new Admission(config.limits().maxConcurrentRequests(), metrics);
        this.rollback = new RollbackMonitor(deployments);
        this.api = new ServingApi(deployments, inference, admission, config.limits());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cairn-serving-jobs").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(() -> guarded("rollback check", rollback::evaluate), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("unloading unused models", () -> deployments.sweep(60_000)), 10, 10, TimeUnit.SECONDS);
        long refresh = config.aliasRefreshInterval().toMillis();
        if (refresh > 0) {
            scheduler.scheduleWithFixedDelay(() -> guarded("alias refresh", () -> deployments.refreshAll("cairn-alias-refresh")),
                    refresh, refresh, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Serving for a full {@code cairn server}: models resolved through the metadata store's registry
     * and artifacts (remote packages cached under {@code home/model-cache}), the prediction log under
     * {@code home/predictions}, and deployments kept in {@code home/deployments.json} and restored
     * from it now. Add {@link #api()} and {@link #metricsRoutes()} to the server's route groups and
     * {@link #close()} it after the server stops.
     */
    public static Serving forStore(dev.cairn.core.store.MetadataStore store, dev.cairn.core.store.ArtifactRepository artifacts,
                                   java.nio.file.Path home) {
        return forStore(store, artifacts, home, ServingConfig.defaults(home.resolve("predictions")), home.resolve("deployments.json"), null);
    }

    /**
     * As {@link #forStore(dev.cairn.core.store.MetadataStore, dev.cairn.core.store.ArtifactRepository, java.nio.file.Path)}
     * with {@code config} (one of several servers: the log in the shared directory, their refresh interval), the
     * deployments restored from {@code stateFile}, or from nowhere when null (several servers take them up from their
     * shared directory instead, see {@link SharedDeployments}), and deployments that declare a feature service reading
     * the store's feature definitions and the online store at {@code onlineStore} ({@code sqlite:/path/online.db},
     * {@code redis://host:port}; null: none, and such deployments are refused).
     */
    public static Serving forStore(dev.cairn.core.store.MetadataStore store, dev.cairn.core.store.ArtifactRepository artifacts,
                                   java.nio.file.Path home, ServingConfig config, java.nio.file.Path stateFile, String onlineStore) {
        FeatureServing features = onlineStore == null ? FeatureServing.none()
                : new FeatureServing(store.features(), dev.cairn.features.online.OnlineStores.open(onlineStore));
        Serving serving = new Serving(config, store.registry(),
                RegistryPackages.confined(new dev.cairn.server.tracking.ModelResolver(store, artifacts), home.resolve("model-cache")), features);
        if (stateFile != null) serving.restoreDeployments(stateFile);
        return serving;
    }

    private static void guarded(String what, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.warn("Serving job '{}' failed: {}", what, e.toString());
        }
    }

    public ServingConfig config() {
        return config;
    }

    public ServingMetrics metrics() {
        return metrics;
    }

    public Deployments deployments() {
        return deployments;
    }

    /** The prediction log, or null when the config has no log directory. */
    public PredictionLog log() {
        return log;
    }

    public Inference inference() {
        return inference;
    }

    public Admission admission() {
        return admission;
    }

    public RollbackMonitor rollback() {
        return rollback;
    }

    /**
     * Keeps the deployments in {@code stateFile} (JSON) from now on and redeploys what it holds, so
     * a restarted server serves what it served before. Call before serving; returns the names restored.
     */
    public java.util.List<String> restoreDeployments(java.nio.file.Path stateFile) {
        return deployments.restore(new DeploymentState(stateFile));
    }

    /** The inference and deployment endpoints. */
    public ServingApi api() {
        return api;
    }

    /**
     * {@code GET /metrics} in Prometheus' text format. With authentication on, the scraper logs in (a service
     * account's token, or an admin's): the metrics name deployments and their traffic, so a caller gets the series
     * of the deployments it may read (READ on each), and every series without a deployment.
     */
    public ApiRoutes metricsRoutes() {
        return ApiRoutes.of(List.of(new RouteAccess(HandlerType.GET, "/metrics", Access.authenticated())),
                config -> config.routes.get("/metrics", ctx -> ctx
                        .contentType("text/plain; version=0.0.4; charset=utf-8").result(readableSeries(ctx, metrics.scrape()))));
    }

    private static final Pattern DEPLOYMENT_LABEL = Pattern.compile("[{,]deployment=\"([^\"]*)\"");

    /** The lines of a scrape without the samples of deployments the caller may not read (all of them without authentication). */
    static String readableSeries(Context ctx, String scrape) {
        Optional<Principal> principal = AccessControl.principal(ctx);
        if (principal.isEmpty() || principal.get().actsAsAdmin()) return scrape;
        Predicate<String> readable = AccessControl.readable(ctx, ResourceKind.DEPLOYMENT);
        StringJoiner out = new StringJoiner("\n");
        for (String line : scrape.split("\n", -1)) {
            Matcher deployment = line.startsWith("#") ? null : DEPLOYMENT_LABEL.matcher(line);
            if (deployment == null || !deployment.find() || readable.test(deployment.group(1))) out.add(line);
        }
        return out.toString();
    }

    /** Stops the background jobs, writes the log's queue out, and unloads every model. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        inference.close();
        if (log != null) log.close();
        deployments.close();
    }
}

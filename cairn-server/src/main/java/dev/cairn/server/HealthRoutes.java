package dev.cairn.server;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the metadata store and the
 * artifact repository answer, and the server is not draining), for load balancers and Kubernetes;
 * and, as MLflow's tracking server has them, {@code GET /health} answering {@code OK} and
 * {@code GET /version} answering the server's version, both as plain text.
 */
final class HealthRoutes implements ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final MetadataStore store;
    private final ArtifactRepository artifacts;
    private final BooleanSupplier draining;

    HealthRoutes(MetadataStore store, ArtifactRepository artifacts, BooleanSupplier draining) {
        this.store = store;
        this.artifacts = artifacts;
        this.draining = draining;
    }

    /** Load balancers and MLflow clients probe these without credentials; they tell nothing about the data. */
    @Override
    public List<RouteAccess> access() {
        return List.of("/health/live", "/health/ready", "/health", "/version").stream()
                .map(path -> new RouteAccess(HandlerType.GET, path, Access.open())).toList();
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        config.routes.get("/health/ready", this::ready);
        config.routes.get("/health", ctx -> ctx.contentType("text/plain; charset=utf-8").result("OK"));
        config.routes.get("/version", ctx -> ctx.contentType("text/plain; charset=utf-8").result(version()));
    }

    /** This build's version, from the jar's Maven metadata (absent when running from classes, as tests do). */
    static String version() {
        try (var in = HealthRoutes.class.getResourceAsStream("/META-INF/maven/dev.cairn/cairn-server/pom.properties")) {
            if (in != null) {
                java.util.Properties properties = new java.util.Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.isBlank()) return version;
            }
        } catch (java.io.IOException e) {
            LOG.debug("Could not read the build's version", e);
        }
        String manifest = HealthRoutes.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "development build";
    }

    private void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("metadata_store", check(() -> store.experiments().searchExperiments(ViewType.ALL, null, List.of(), 1, null)));
        checks.put("artifact_repository", check(() -> artifacts.exists("")));
        checks.put("accepting_requests", draining.getAsBoolean() ? "DOWN" : "UP");
        boolean up = checks.values().stream().allMatch("UP"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        ctx.status(up ? 200 : 503).json(body);
    }

    private static String check(Runnable probe) {
        try {
            probe.run();
            return "UP";
        } catch (RuntimeException e) {
            LOG.warn("Readiness check failed", e);
            return "DOWN";
        }
    }
}

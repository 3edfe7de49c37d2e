package dev.cairn.server;

import io.javalin.config.JavalinConfig;

/**
 * One group of HTTP endpoints (Cairn's /api/v1, the MLflow-compatible API, inference). Each group
 * is a class constructed with the services it needs and registered by {@link CairnServer}; no
 * group reaches for global state.
 */
public interface ApiRoutes {

    /** Adds this group's routes with {@code config.routes}. */
    void addRoutes(JavalinConfig config);
}

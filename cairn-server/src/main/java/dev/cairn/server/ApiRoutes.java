package dev.cairn.server;

import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One group of HTTP endpoints (Cairn's /api/v1, the MLflow-compatible API, inference). Each group
 * is a class constructed with the services it needs and registered by {@link CairnServer}; no
 * group reaches for global state.
 */
public interface ApiRoutes {

    /** Adds this group's routes with {@code config.routes}. */
    void addRoutes(JavalinConfig config);

    /**
     * The access each route of this group declares (see {@link dev.cairn.server.auth.Access}): a group must list
     * every route it adds, or the server refuses to start.
     */
    default List<RouteAccess> access() {
        return List.of();
    }

    /** A group from a registration and its declarations (for small groups and tests). */
    static ApiRoutes of(List<RouteAccess> access, java.util.function.Consumer<JavalinConfig> routes) {
        List<RouteAccess> declared = List.copyOf(access);
        return new ApiRoutes() {
            @Override
            public void addRoutes(JavalinConfig config) {
                routes.accept(config);
            }

            @Override
            public List<RouteAccess> access() {
                return declared;
            }
        };
    }

    /**
     * The media type each route that reads a body takes, e.g. {@code POST /api/v1/experiments} takes
     * {@code application/json}: {@link RequestContentTypes} refuses any other with 415 before the handler runs. A
     * route not listed here is not checked (an inference route checks its own documented types).
     */
    default List<RequestBody> requestBodies() {
        return List.of();
    }

    /** A route's body: its method, its path in Javalin's syntax and the media type it takes. */
    record RequestBody(HandlerType method, String path, String contentType) {}
}

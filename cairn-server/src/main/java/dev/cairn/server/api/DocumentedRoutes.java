package dev.cairn.server.api;

import dev.cairn.server.ApiRoutes;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * A route group whose endpoints under {@code /api/v1} are described by a table of {@link ApiRoute}s.
 * The same table registers the handlers and feeds the OpenAPI document ({@link OpenApiEndpoint}),
 * which {@link dev.cairn.server.CairnServer} builds from every documented group it serves: a route
 * cannot be served without being documented, nor documented without being served.
 *
 * <p>A group that also serves routes outside {@code /api/v1} (inference protocols, metrics) lists
 * only its {@code /api/v1} routes here and registers the others itself.
 */
public interface DocumentedRoutes extends ApiRoutes {

    /** This group's {@code /api/v1} routes, in registration order. */
    List<ApiRoute> routes();

    /** The access the routes of {@link #routes()} declare (a route declaring none is left out, and so refused). */
    @Override
    default List<RouteAccess> access() {
        return routes().stream().filter(route -> route.access() != null)
                .map(route -> new RouteAccess(route.method(), route.path(), route.access())).toList();
    }

    /** The bodies of {@link #routes()}, as each route declares them (JSON unless it says otherwise). */
    @Override
    default List<RequestBody> requestBodies() {
        return routes().stream().filter(r -> r.requestBody() != null || !"application/json".equals(r.requestContentType()))
                .map(r -> new RequestBody(r.method(), r.path(), r.requestContentType())).toList();
    }

    /** Registers {@link #routes()}; a group with undocumented routes besides overrides this and calls {@link #register}. */
    @Override
    default void addRoutes(JavalinConfig config) {
        register(config, routes());
    }

    /** Registers each route's handler for its method and path, in order. */
    static void register(JavalinConfig config, List<ApiRoute> routes) {
        for (ApiRoute route : routes) {
            config.routes.addHttpHandler(route.method(), route.path(), route.handler());
        }
    }
}

package dev.cairn.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI document of every documented route group a server
 * serves (Cairn's own resources, evaluations, deployments), itself included. The document is built
 * once, from the groups' route tables, when the server is assembled.
 */
public final class OpenApiEndpoint implements DocumentedRoutes {

    private final List<ApiRoute> routes;
    private final Map<String, Object> document;

    /** @param groups the documented groups the server registers, in registration order */
    public OpenApiEndpoint(List<? extends DocumentedRoutes> groups) {
        this.routes = List.of(ApiRoute.get(CairnApi.OPENAPI_PATH, "This document: the OpenAPI 3.1 description of the API")
                .tag("meta").returns(Map.class).access(dev.cairn.server.auth.Access.open()).handle(ctx -> ctx.json(document())));
        List<ApiRoute> all = new ArrayList<>();
        for (DocumentedRoutes group : groups) all.addAll(group.routes());
        all.addAll(routes);
        this.document = OpenApiDocument.build(all, CairnApi.VERSION);
    }

    /** Only the document's own route; the document covers the groups given to the constructor as well. */
    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    /** The OpenAPI 3.1 document, as a JSON-ready map. */
    public Map<String, Object> document() {
        return document;
    }
}

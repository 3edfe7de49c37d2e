package dev.cairn.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.tracking.ArtifactLocations;
import dev.cairn.server.tracking.ModelResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Cairn's own REST API under {@code /api/v1}: one handler class per resource and one route table.
 * The OpenAPI document at {@code /api/v1/openapi.json} ({@link OpenApiEndpoint}) is generated from
 * this table together with the server's other documented groups (evaluations, deployments).
 */
public final class CairnApi implements DocumentedRoutes {

    public static final String PREFIX = "/api/v1";
    public static final String OPENAPI_PATH = PREFIX + "/openapi.json";
    public static final String VERSION = "1.0.0";

    private final List<ApiRoute> routes;

    /** With the real clock and Cairn's strict JSON mapper (unknown request fields are refused). */
    public CairnApi(MetadataStore store, ArtifactRepository artifactRoot) {
        this(store, artifactRoot, JsonMappers.tracking(), System::currentTimeMillis);
    }

    public CairnApi(MetadataStore store, ArtifactRepository artifactRoot, ObjectMapper mapper, LongSupplier clock) {
        ArtifactLocations locations = new ArtifactLocations(artifactRoot);
        ModelResolver resolver = new ModelResolver(store, locations);
        List<ApiRoute> all = new ArrayList<>();
        all.addAll(new ExperimentsApi(store.experiments(), locations, mapper).routes());
        all.addAll(new RunsApi(store.runs(), mapper, clock).routes());
        all.addAll(new RunDataApi(store.runs(), mapper, clock).routes());
        all.addAll(new ArtifactsApi(store.runs(), locations).routes());
        all.addAll(new RegisteredModelsApi(store.registry(), mapper).routes());
        all.addAll(new ModelVersionsApi(store, resolver, mapper).routes());
        all.addAll(new AliasesApi(store.registry(), mapper).routes());
        all.addAll(new AuditApi(store.registry()).routes());
        this.routes = List.copyOf(all);
    }

    /** Every route of the resources above (the OpenAPI document's own route is {@link OpenApiEndpoint}'s). */
    @Override
    public List<ApiRoute> routes() {
        return routes;
    }
}

package dev.cairn.server.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.access.DataAccess;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.RunStore;
import dev.cairn.data.DataJson;
import dev.cairn.data.RunRecorder;
import dev.cairn.data.api.DataRequests;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Data validation over REST, a thin wrapper of cairn-data's {@link DataRequests}: profile, infer a
 * schema, validate against a spec and compare for drift. Bodies name their data under the server's
 * data roots or by a named connection (the {@link DataAccess}); with a {@code run_id} the results (reports and metrics) are stored in that
 * run, so their history accumulates. Results are rendered in cairn-data's own
 * stable JSON forms (the same as its report artifacts: {@code cairn.profile/v1}, {@code cairn.validation/v1}).
 */
public final class DataApi implements DocumentedRoutes {
    public static final String DATA = CairnApi.PREFIX + "/data";

    private final DataRequests requests;
    private final List<ApiRoute> routes;

    public DataApi(RunStore runs, ArtifactRepository artifactRoot, DataAccess access) {
        ArtifactLocations locations = new ArtifactLocations(artifactRoot);
        Function<String, RunRecorder> recorders = runId ->
                RunRecorder.of(runs, runId, locations.open(runs.getRun(runId).info().artifactUri()));
        this.requests = new DataRequests(recorders, access);
        this.routes = List.of(
                ApiRoute.post(DATA + "/profile", "Profile a dataset: counts, missing values, types, moments, quantiles, histograms, top values")
                        .tag("data").body(Map.class).returns(Map.class).access(Access.authenticated()).handle(ctx -> ctx.contentType("application/json").result(ProfileJson.write(requests.profile(body(ctx))))),
                ApiRoute.post(DATA + "/infer-schema", "Infer a schema (types, nullability, domains, ranges) and suggested checks, as YAML to review")
                        .tag("data").body(Map.class).returns(Map.class).access(Access.authenticated()).handle(ctx -> render(ctx, requests.inferSchema(body(ctx)))),
                ApiRoute.post(DATA + "/validate", "Validate a dataset against a schema and checks given as YAML; every failed check with observed and expected values")
                        .tag("data").body(Map.class).returns(Map.class).access(Access.authenticated()).handle(ctx -> render(ctx, requests.validate(body(ctx)))),
                ApiRoute.post(DATA + "/drift", "Compare a current dataset (or stored profile) with a reference, per column and for the whole dataset")
                        .tag("data").body(Map.class).returns(Map.class).access(Access.authenticated()).handle(ctx -> render(ctx, requests.drift(body(ctx)))));
    }

    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private static JsonNode body(Context ctx) {
        return RequestBodies.read(ctx, DataJson.MAPPER, JsonNode.class);
    }

    private static void render(Context ctx, Object result) {
        ctx.contentType("application/json").result(DataJson.write(result));
    }
}

package dev.cairn.server.features;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.access.DataAccess;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.online.OnlineService;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.api.Params;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.Deployments;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The feature definitions over {@code /api/v1/features}, read only (they are applied with {@code cairn features apply}):
 * the latest version of each, one definition at any version, a definition's versions, and which deployments read a
 * feature service or view (the deployment half of the features' lineage).
 *
 * <p>Access: a definition is a {@code feature} resource (by name): listings show the definitions the caller may read,
 * and one definition or its versions need READ on it. JDBC URLs of sources are shown with their passwords masked, and
 * the deployments listed are those the caller may read.
 */
public final class FeaturesApi implements DocumentedRoutes {
    public static final String FEATURES = CairnApi.PREFIX + "/features";
    private static final String TAG = "features";

    private final Supplier<FeatureRegistry> registry;
    private final Deployments deployments;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ApiRoute> routes;

    /**
     * @param registry    the feature definitions (asked for on each request: a store without them answers with its error)
     * @param deployments the server's deployments, for which of them read a definition; null for none
     */
    public FeaturesApi(Supplier<FeatureRegistry> registry, Deployments deployments) {
        this.registry = registry;
        this.deployments = deployments;
        this.routes = List.of(
                ApiRoute.get(FEATURES, "List the feature definitions (entities, sources, feature views, feature services), the latest version of each")
                        .tag(TAG).query("kind", "string", "Only this kind: entity, source, feature_view or feature_service")
                        .returns(Map.class).access(Access.authenticated()).handle(this::list),
                ApiRoute.get(FEATURES + "/{name}", "Show a feature definition as applied (its canonical JSON), the latest version or ?version=N, "
                                + "and the deployments that read it")
                        .tag(TAG).query("version", "integer", "A version (default: the latest)")
                        .returns(Map.class).access(Access.feature(path("name"), Permission.READ)).handle(this::show),
                ApiRoute.get(FEATURES + "/{name}/versions", "Every version of a feature definition, oldest first")
                        .tag(TAG).returns(Map.class).access(Access.feature(path("name"), Permission.READ)).handle(this::versions));
    }

    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private FeatureStore store() {
        return new FeatureStore(registry.get(), DataAccess.none(), name -> null);
    }

    private void list(Context ctx) {
        String kindText = Params.optional(ctx, "kind");
        FeatureKind kind = null;
        if (kindText != null) {
            kind = FeatureKind.parse(kindText);
            if (kind == null) throw CairnException.invalid("kind", kindText, "one of entity, source, feature_view, feature_service");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (FeatureDefinition d : readable(ctx, registry.get())) {
            if (kind == null || d.kind() == kind) out.add(summary(d));
        }
        ctx.json(Map.of("definitions", out));
    }

    private void show(Context ctx) {
        String version = Params.optional(ctx, "version");
        FeatureDefinition d = store().show(ctx.pathParam("name"), version == null ? null : Params.parseLong("version", version));
        Map<String, Object> m = summary(d);
        m.put("definition", body(d));
        if (d.kind() == FeatureKind.FEATURE_VIEW || d.kind() == FeatureKind.FEATURE_SERVICE) m.put("deployments", readers(ctx, d));
        ctx.json(m);
    }

    private void versions(Context ctx) {
        String name = ctx.pathParam("name");
        List<FeatureDefinition> all = registry.get().versions(name);
        if (all.isEmpty()) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No feature definition '" + name + "' in the registry",
                    Map.of("field", "name", "value", name));
        }
        ctx.json(Map.of("name", name, "versions", all.stream().map(FeaturesApi::summary).toList()));
    }

    /**
     * The deployments whose feature service is named {@code name} or reads the view {@code name}, by name, those the
     * caller may read: what the API's {@code deployments} and the UI's features page list.
     */
    public static List<Deployment> readers(Context ctx, Deployments deployments, String name) {
        if (deployments == null) return List.of();
        List<Deployment> reading = new ArrayList<>();
        for (Deployment deployment : deployments.all()) {
            OnlineService service = deployment.features();
            if (service == null) continue;
            if (service.name().equals(name) || service.views().stream().anyMatch(v -> v.name().equals(name))) reading.add(deployment);
        }
        reading.sort(java.util.Comparator.comparing(Deployment::name));
        return AccessControl.readable(ctx, ResourceKind.DEPLOYMENT, reading, Deployment::name);
    }

    /** The latest version of every definition the caller may read, as the API's list gives them. */
    public static List<FeatureDefinition> readable(Context ctx, FeatureRegistry registry) {
        return AccessControl.readable(ctx, ResourceKind.FEATURE, new FeatureStore(registry, DataAccess.none(), name -> null).list(),
                FeatureDefinition::name);
    }

    private static Map<String, Object> summary(FeatureDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("version", d.version());
        m.put("sha256", d.sha256());
        m.put("created_by", d.createdBy());
        m.put("created_at", d.createdAt().toString());
        return m;
    }

    /** The canonical JSON, a JDBC URL's password masked (a definition names an environment variable, but a URL may hold one). */
    private Object body(FeatureDefinition d) {
        try {
            var node = mapper.readTree(d.body());
            if (node instanceof ObjectNode object && object.hasNonNull("jdbc")) {
                object.put("jdbc", DataAccess.redact(object.get("jdbc").asText()));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "The stored definition of '" + d.name() + "' is not JSON", e);
        }
    }

    /** The deployments (the caller may read) whose feature service is {@code d} or reads view {@code d}, with the versions they serve. */
    private List<Map<String, Object>> readers(Context ctx, FeatureDefinition d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Deployment deployment : readers(ctx, deployments, d.name())) {
            OnlineService service = deployment.features();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deployment", deployment.name());
            m.put("service", service.name());
            m.put("service_version", service.version());
            service.views().stream().filter(v -> v.name().equals(d.name())).findFirst().ifPresent(v -> m.put("view_version", v.version()));
            out.add(m);
        }
        return out;
    }
}

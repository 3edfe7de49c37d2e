package dev.cairn.server.pipeline;

import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.ResourceLookup;
import io.javalin.http.Context;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The lineage edges a caller may see. An edge joins two nodes of the graph, a step of a pipeline run and the artifact
 * it read or wrote, and it is shown only when the caller may read both: the run's pipeline, and the resource the
 * artifact's URI names, if it names one ({@code models:/NAME…} a registered model, {@code runs:/ID…} the run's
 * experiment, {@code deployment:NAME…} a deployment). Snapshots, tables and files name no resource: the pipeline's
 * permission decides. Edges are left out rather than redacted: a redacted edge would still tell which step touched
 * which kind of thing of someone else's, and when. Without authentication, and for admins, every edge is shown.
 */
public final class LineageAccess {

    private LineageAccess() {}

    public static List<LineageEdge> readable(Context ctx, List<LineageEdge> edges, PipelineStore pipelines, ResourceLookup lookup) {
        Optional<Principal> principal = AccessControl.principal(ctx);
        if (principal.isEmpty() || principal.get().actsAsAdmin() || edges.isEmpty()) return edges;
        Visibility visibility = new Visibility(ctx, pipelines, lookup);
        return edges.stream().filter(visibility::shows).toList();
    }

    /** One request's decisions, each store lookup and grant query made once. */
    private static final class Visibility {
        private final Context ctx;
        private final PipelineStore pipelines;
        private final ResourceLookup lookup;
        private final Map<ResourceKind, Predicate<String>> readable = new EnumMap<>(ResourceKind.class);
        private final Map<String, Boolean> pipelineOfRun = new HashMap<>();
        private final Map<String, Boolean> experimentOfRun = new HashMap<>();

        Visibility(Context ctx, PipelineStore pipelines, ResourceLookup lookup) {
            this.ctx = ctx;
            this.pipelines = pipelines;
            this.lookup = lookup;
        }

        boolean shows(LineageEdge edge) {
            return pipelineOfRun.computeIfAbsent(edge.runId(), this::pipelineReadable) && artifactReadable(edge.uri());
        }

        private boolean pipelineReadable(String pipelineRunId) {
            String pipeline;
            try {
                pipeline = pipelines.getRun(pipelineRunId).pipeline();
            } catch (CairnException unknown) {
                return false;
            }
            return can(ResourceKind.PIPELINE, pipeline);
        }

        private boolean artifactReadable(String uri) {
            if (uri.startsWith("deployment:")) {
                String rest = uri.substring("deployment:".length());
                int query = rest.indexOf('?');
                return can(ResourceKind.DEPLOYMENT, query < 0 ? rest : rest.substring(0, query));
            }
            // feature_view:NAME/N and feature_service:NAME/N: the definition's name, granted as a feature.
            for (String kind : new String[] {"feature_view:", "feature_service:"}) {
                if (!uri.startsWith(kind)) continue;
                String rest = uri.substring(kind.length());
                int slash = rest.lastIndexOf('/');
                return can(ResourceKind.FEATURE, slash < 0 ? rest : rest.substring(0, slash));
            }
            if (!uri.startsWith("models:/") && !uri.startsWith("runs:/")) return true;
            ModelReference reference;
            try {
                reference = ModelReference.parse(uri);
            } catch (CairnException malformed) {
                return false; // names a model or run, but not one we can tell: not shown
            }
            return switch (reference) {
                case ModelReference.ByVersion v -> can(ResourceKind.REGISTERED_MODEL, v.name());
                case ModelReference.ByAlias a -> can(ResourceKind.REGISTERED_MODEL, a.name());
                case ModelReference.RunArtifact r -> experimentOfRun.computeIfAbsent(r.runId(),
                        id -> lookup.experimentOfRun(id).map(experiment -> can(ResourceKind.EXPERIMENT, experiment)).orElse(false));
                case ModelReference.Location l -> false;
            };
        }

        private boolean can(ResourceKind kind, String resource) {
            return readable.computeIfAbsent(kind, k -> AccessControl.readable(ctx, k)).test(resource);
        }
    }
}

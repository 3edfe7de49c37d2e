package dev.cairn.server.serving;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.ResourceLocator;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What deploying takes besides EDIT on the deployment: READ on every model the change would serve. Without it, EDIT on
 * any deployment would let its holder serve, and so query, a model whose registry entry they may not even see. A
 * {@code models:/} URI needs READ on its registered model, a {@code runs:/} URI READ on its run's experiment; a storage
 * location names no resource whose grants could say, so only an admin deploys one. The route's declaration cannot
 * check this before the handler (the models are in the body), so the handlers call it once the body is parsed, before
 * anything is loaded. Public so that every path that deploys (the web UI's weights form too) can call it.
 */
public final class DeployAccess {

    private DeployAccess() {}

    /**
     * Refuses (403 naming the resource) unless the caller may read every model of the spec's targets and its shadow, and
     * the feature service it reads: a deployment serves its features to whoever may invoke it.
     */
    public static void check(Context ctx, DeploymentSpec spec) {
        List<String> models = new ArrayList<>();
        spec.targets().forEach(t -> models.add(t.model()));
        if (spec.shadow() != null) models.add(spec.shadow());
        check(ctx, models);
        if (spec.featureService() != null) AccessControl.check(ctx, Access.feature(named(spec.featureService()), Permission.READ));
    }

    /** As above for model URIs, e.g. the targets a weights change names. */
    public static void check(Context ctx, Collection<String> models) {
        Optional<Principal> principal = AccessControl.principal(ctx);
        // No principal: authentication is off. Admins may deploy anything, a storage location included.
        if (principal.isEmpty() || principal.get().actsAsAdmin()) return;
        for (String uri : models) {
            switch (ModelReference.parse(uri)) {
                case ModelReference.ByVersion v -> AccessControl.check(ctx, Access.model(named(v.name()), Permission.READ));
                case ModelReference.ByAlias a -> AccessControl.check(ctx, Access.model(named(a.name()), Permission.READ));
                case ModelReference.RunArtifact r ->
                        AccessControl.check(ctx, Access.experiment(ResourceLocator.experimentOfRun(named(r.runId())), Permission.READ));
                case ModelReference.Location l -> throw new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied: "
                        + principal.get().name() + " may deploy registered models (models:/…) and run artifacts (runs:/…) it may read; "
                        + "a storage location names neither, so only an admin may deploy '" + uri + "'",
                        Map.of("field", "model", "value", uri, "needed", "admin"));
            }
        }
    }

    private static ResourceLocator named(String resource) {
        return (ctx, lookup) -> List.of(resource);
    }
}

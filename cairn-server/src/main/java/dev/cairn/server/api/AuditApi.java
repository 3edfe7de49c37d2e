package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.path;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.server.auth.Access;
import io.javalin.http.Context;
import java.util.List;

/** The registry's append-only audit log, newest first: for one model or all. */
public final class AuditApi {

    public record AuditPage(List<AuditEvent> events, String nextPageToken) {}

    private final RegistryStore registry;

    public AuditApi(RegistryStore registry) {
        this.registry = registry;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get(CairnApi.PREFIX + "/audit", "Audit events of all models, newest first").tag("audit")
                        .query("model_name", "string", "Only this model's events").paged()
                        .returns(AuditPage.class).access(Access.admin()).handle(this::all),
                ApiRoute.get(RegisteredModelsApi.MODEL + "/audit", "Audit events of one model (also after its deletion), newest first")
                        .tag("audit").paged().returns(AuditPage.class).access(Access.model(path("name"), Permission.READ)).handle(this::ofModel));
    }

    private void all(Context ctx) {
        respond(ctx, Params.optional(ctx, "model_name"));
    }

    private void ofModel(Context ctx) {
        // No existence check: the log of a deleted model is exactly what an auditor asks for.
        respond(ctx, ctx.pathParam("name"));
    }

    private void respond(Context ctx, String model) {
        Paging paging = Paging.from(ctx);
        Page<AuditEvent> page = registry.listAuditEvents(model, paging.maxResults(), paging.pageToken());
        ctx.json(new AuditPage(page.items(), page.nextPageToken()));
    }
}

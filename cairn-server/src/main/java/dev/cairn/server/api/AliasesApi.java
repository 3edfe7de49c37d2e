package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import io.javalin.http.Context;
import java.util.List;

/**
 * Aliases ({@code champion}, {@code challenger}) pointing at model versions; every change is audited with its comment.
 * An alias's ETag is the version it points at; a change with {@code If-Match} (or {@code If-None-Match: *}) applies
 * only if the alias is still as the caller saw it, else 409 naming who moved it. 409 rather than HTTP's 412, as
 * Kubernetes answers a stale resourceVersion: the body says what changed, and the caller must decide again.
 */
public final class AliasesApi {

    static final String ALIAS = RegisteredModelsApi.MODEL + "/aliases/{alias}";
    private static final String IF_MATCH = "If-Match";
    private static final String IF_NONE_MATCH = "If-None-Match";

    public record SetAlias(Long version, String comment, String user) {}

    private final RegistryStore registry;
    private final ObjectMapper mapper;

    public AliasesApi(RegistryStore registry, ObjectMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.put(ALIAS, "Point an alias at a version (with an optional comment for the audit log)")
                        .tag("aliases").header(Actors.HEADER, "Who moves the alias")
                        .header(IF_MATCH, "Move it only if it still points at this ETag (the version, quoted); else 409")
                        .header(IF_NONE_MATCH, "*: create it only if it does not exist yet; else 409").body(SetAlias.class)
                        .returns(ModelVersion.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::set),
                ApiRoute.get(ALIAS, "The version an alias points at").tag("aliases")
                        .returns(ModelVersion.class).access(Access.model(path("name"), Permission.READ)).handle(this::get),
                ApiRoute.delete(ALIAS, "Remove an alias").tag("aliases").header(Actors.HEADER, "Who removes it")
                        .header(IF_MATCH, "Remove it only if it still points at this ETag; else 409")
                        .query("comment", "string", "Why, for the audit log").status(204).access(Access.model(path("name"), Permission.MANAGE))
                        .handle(this::delete));
    }

    private void set(Context ctx) {
        SetAlias body = RequestBodies.read(ctx, mapper, SetAlias.class);
        long version = Params.required("version", body.version());
        if (version < 1) throw dev.cairn.core.error.CairnException.invalid("version", version, "a positive integer");
        String name = ctx.pathParam("name");
        String alias = ctx.pathParam("alias");
        registry.setAlias(name, alias, version, Actors.from(ctx, body.user()), body.comment(), precondition(ctx));
        answer(ctx, registry.getModelVersionByAlias(name, alias));
    }

    private void get(Context ctx) {
        answer(ctx, registry.getModelVersionByAlias(ctx.pathParam("name"), ctx.pathParam("alias")));
    }

    private void delete(Context ctx) {
        registry.deleteAlias(ctx.pathParam("name"), ctx.pathParam("alias"), Actors.from(ctx), ctx.queryParam("comment"), precondition(ctx));
        ctx.status(204);
    }

    private static AliasPrecondition precondition(Context ctx) {
        return AliasPrecondition.fromHeaders(ctx.header(IF_MATCH), ctx.header(IF_NONE_MATCH));
    }

    private static void answer(Context ctx, ModelVersion version) {
        ctx.header("ETag", AliasPrecondition.etag(version.version()));
        ctx.json(version);
    }
}

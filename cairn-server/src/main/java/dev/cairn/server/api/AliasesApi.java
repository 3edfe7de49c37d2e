package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
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

    /** A request to move a protected alias. */
    public record RequestChange(String alias, Long version, String comment, String user) {}

    /** Why, for the audit log (protecting an alias, approving or rejecting a request). */
    public record Decision(String comment, String user) {}

    public record Requests(List<AliasRequest> requests) {}

    public record ProtectedAliases(List<String> protectedAliases) {}

    static final String PROTECTED = RegisteredModelsApi.MODEL + "/protected-aliases";
    static final String REQUESTS = RegisteredModelsApi.MODEL + "/alias-requests";

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
                        .handle(this::delete),
                ApiRoute.get(PROTECTED, "The aliases of a model that move only with a second person's approval (four-eyes)").tag("aliases")
                        .returns(ProtectedAliases.class).access(Access.model(path("name"), Permission.READ))
                        .handle(ctx -> ctx.json(new ProtectedAliases(registry.protectedAliases(ctx.pathParam("name"))))),
                ApiRoute.put(PROTECTED + "/{alias}", "Protect an alias: from now on it moves only when a second person approves a request")
                        .tag("aliases").header(Actors.HEADER, "Who protects it").body(Decision.class).status(204)
                        .access(Access.model(path("name"), Permission.MANAGE)).handle(ctx -> protect(ctx, true)),
                ApiRoute.delete(PROTECTED + "/{alias}", "Lift an alias's protection").tag("aliases").header(Actors.HEADER, "Who lifts it")
                        .query("comment", "string", "Why, for the audit log").status(204)
                        .access(Access.model(path("name"), Permission.MANAGE)).handle(ctx -> protect(ctx, false)),
                ApiRoute.post(REQUESTS, "Request that a protected alias move to a version; a second person with MANAGE approves it")
                        .tag("aliases").header(Actors.HEADER, "Who asks")
                        .header(IF_MATCH, "The alias's ETag as the requester saw it; checked now and again at approval")
                        .header(IF_NONE_MATCH, "*: the alias must not exist yet").body(RequestChange.class).returns(AliasRequest.class)
                        .status(201).access(Access.model(path("name"), Permission.EDIT)).handle(this::request),
                ApiRoute.get(REQUESTS, "A model's alias requests, newest first").tag("aliases")
                        .query("pending", "boolean", "Only the pending ones").returns(Requests.class)
                        .access(Access.model(path("name"), Permission.READ)).handle(ctx -> ctx.json(new Requests(registry.listAliasRequests(
                                ctx.pathParam("name"), Boolean.parseBoolean(ctx.queryParam("pending")))))),
                ApiRoute.post(REQUESTS + "/{request_id}/approve", "Approve a request: the alias moves if it still points where it did "
                                + "when requested (else 409); not by the requester").tag("aliases").header(Actors.HEADER, "Who approves")
                        .body(Decision.class).returns(AliasRequest.class).access(Access.model(path("name"), Permission.MANAGE))
                        .handle(ctx -> decide(ctx, true)),
                ApiRoute.post(REQUESTS + "/{request_id}/reject", "Reject a request; not by the requester").tag("aliases")
                        .header(Actors.HEADER, "Who rejects").body(Decision.class).returns(AliasRequest.class)
                        .access(Access.model(path("name"), Permission.MANAGE)).handle(ctx -> decide(ctx, false)));
    }

    private void set(Context ctx) {
        SetAlias body = RequestBodies.read(ctx, mapper, SetAlias.class);
        long version = Params.required("version", body.version());
        if (version < 1) throw CairnException.invalid("version", version, "a positive integer");
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

    private void protect(Context ctx, boolean protect) {
        String comment = ctx.queryParam("comment");
        String user = null;
        if (protect && ctx.contentLength() > 0) {
            Decision body = RequestBodies.read(ctx, mapper, Decision.class);
            comment = body.comment();
            user = body.user();
        }
        registry.protectAlias(ctx.pathParam("name"), ctx.pathParam("alias"), protect, Actors.from(ctx, user), comment);
        ctx.status(204);
    }

    private void request(Context ctx) {
        RequestChange body = RequestBodies.read(ctx, mapper, RequestChange.class);
        if (body.alias() == null || body.alias().isBlank()) throw CairnException.invalid("alias", body.alias(), "the alias to move");
        long version = Params.required("version", body.version());
        if (version < 1) throw CairnException.invalid("version", version, "a positive integer");
        ctx.status(201).json(registry.requestAliasChange(ctx.pathParam("name"), body.alias(), version, Actors.from(ctx, body.user()),
                body.comment(), precondition(ctx)));
    }

    private void decide(Context ctx, boolean approve) {
        Decision body = ctx.contentLength() > 0 ? RequestBodies.read(ctx, mapper, Decision.class) : new Decision(null, null);
        long id = Params.parseLong("request_id", ctx.pathParam("request_id"));
        ctx.json(registry.decideAliasChange(ctx.pathParam("name"), id, approve, Actors.from(ctx, body.user()), body.comment()));
    }

    private static AliasPrecondition precondition(Context ctx) {
        return AliasPrecondition.fromHeaders(ctx.header(IF_MATCH), ctx.header(IF_NONE_MATCH));
    }

    private static void answer(Context ctx, ModelVersion version) {
        ctx.header("ETag", AliasPrecondition.etag(version.version()));
        ctx.json(version);
    }
}

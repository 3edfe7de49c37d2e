package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.util.List;

/** Registered models: create, read, search, rename, describe, tag and delete. */
public final class RegisteredModelsApi {

    static final String BASE = CairnApi.PREFIX + "/registered-models";
    static final String MODEL = BASE + "/{name}";

    public record CreateRegisteredModel(String name, String description, List<Tag> tags, String user) {}

    /** Either or both: a new description, a new name. */
    public record UpdateRegisteredModel(String description, String newName, String user) {}

    public record RegisteredModelPage(List<RegisteredModel> registeredModels, String nextPageToken) {}

    public record LatestVersions(List<ModelVersion> modelVersions) {}

    private final RegistryStore registry;
    private final ObjectMapper mapper;

    public RegisteredModelsApi(RegistryStore registry, ObjectMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post(BASE, "Register a model name").tag("registered-models")
                        .header(Actors.HEADER, "Who registers it, for the audit log")
                        .body(CreateRegisteredModel.class).returns(RegisteredModel.class).status(201).access(Access.authenticated()).handle(this::create),
                ApiRoute.get(BASE, "Search registered models").tag("registered-models")
                        .query("filter", "string", "e.g. name LIKE 'credit%'")
                        .query("order_by", "string", "e.g. name ASC; may repeat")
                        .paged().returns(RegisteredModelPage.class).access(Access.authenticated()).handle(this::search),
                ApiRoute.get(MODEL, "Get a registered model with its latest versions and aliases")
                        .tag("registered-models").returns(RegisteredModel.class).access(Access.model(path("name"), Permission.READ)).handle(this::get),
                ApiRoute.patch(MODEL, "Change a registered model's description or name").tag("registered-models")
                        .body(UpdateRegisteredModel.class).returns(RegisteredModel.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::update),
                ApiRoute.delete(MODEL, "Delete a registered model with its versions and aliases (each alias removal audited)")
                        .tag("registered-models").status(204).access(Access.model(path("name"), Permission.MANAGE)).handle(this::delete),
                ApiRoute.post(MODEL + "/tags", "Set a tag on a registered model").tag("registered-models")
                        .body(Tag.class).returns(RegisteredModel.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::setTag),
                ApiRoute.delete(MODEL + "/tags/<key>", "Delete a registered model's tag").tag("registered-models")
                        .returns(RegisteredModel.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::deleteTag),
                ApiRoute.get(MODEL + "/latest-versions", "The latest version in each stage").tag("registered-models")
                        .query("stages", "string", "Stages, repeated or comma-separated, e.g. Staging,Production (default: all)")
                        .returns(LatestVersions.class).access(Access.model(path("name"), Permission.READ)).handle(this::latest));
    }

    private void create(Context ctx) {
        CreateRegisteredModel body = RequestBodies.read(ctx, mapper, CreateRegisteredModel.class);
        RegisteredModel model = registry.createRegisteredModel(Params.required("name", body.name()), body.description(),
                Params.tags(body.tags()), Actors.from(ctx, body.user()));
        AccessControl.created(ctx, ResourceKind.REGISTERED_MODEL, model.name());
        ctx.status(201).json(model);
    }

    private void search(Context ctx) {
        Paging paging = Paging.from(ctx);
        Page<RegisteredModel> page = registry.searchRegisteredModels(Params.optional(ctx, "filter"), Params.orderBy(ctx),
                paging.maxResults(), paging.pageToken());
        ctx.json(new RegisteredModelPage(AccessControl.readable(ctx, ResourceKind.REGISTERED_MODEL, page.items(), RegisteredModel::name),
                page.nextPageToken()));
    }

    private void get(Context ctx) {
        ctx.json(registry.getRegisteredModel(ctx.pathParam("name")));
    }

    private void update(Context ctx) {
        UpdateRegisteredModel body = RequestBodies.read(ctx, mapper, UpdateRegisteredModel.class);
        String name = ctx.pathParam("name");
        if (body.description() == null && body.newName() == null) {
            throw dev.cairn.core.error.CairnException.invalid("description", null, "a description or a new_name (or both)");
        }
        RegisteredModel model = registry.getRegisteredModel(name);
        if (body.description() != null) {
            model = registry.updateRegisteredModel(name, body.description());
        }
        if (body.newName() != null && !body.newName().equals(name)) {
            model = registry.renameRegisteredModel(name, body.newName(), Actors.from(ctx, body.user()));
            AccessControl.renamed(ctx, ResourceKind.REGISTERED_MODEL, name, model.name());
        }
        ctx.json(model);
    }

    private void delete(Context ctx) {
        registry.deleteRegisteredModel(ctx.pathParam("name"), Actors.from(ctx));
        AccessControl.deleted(ctx, ResourceKind.REGISTERED_MODEL, ctx.pathParam("name"));
        ctx.status(204);
    }

    private void setTag(Context ctx) {
        Tag tag = Params.tag(RequestBodies.read(ctx, mapper, Tag.class));
        String name = ctx.pathParam("name");
        registry.setRegisteredModelTag(name, tag);
        ctx.json(registry.getRegisteredModel(name));
    }

    private void deleteTag(Context ctx) {
        String name = ctx.pathParam("name");
        registry.deleteRegisteredModelTag(name, ctx.pathParam("key"));
        ctx.json(registry.getRegisteredModel(name));
    }

    private void latest(Context ctx) {
        ctx.json(new LatestVersions(registry.getLatestVersions(ctx.pathParam("name"), Params.list(ctx, "stages"))));
    }
}

package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.modelOfUri;
import static dev.cairn.server.auth.ResourceLocator.path;
import static dev.cairn.server.auth.ResourceLocator.query;
import static dev.cairn.server.auth.ResourceLocator.runOfUri;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.tracking.ModelResolver;
import io.javalin.http.Context;
import java.util.List;

/** Model versions: register from a run, read, search, describe, tag, move between stages, delete, resolve URIs. */
public final class ModelVersionsApi {

    static final String VERSIONS = RegisteredModelsApi.MODEL + "/versions";
    static final String VERSION = VERSIONS + "/{version}";

    /** {@code source} is usually {@code runs:/<run-id>/model}; {@code run_id} defaults to that run. */
    public record CreateModelVersion(String source, String runId, String description, List<Tag> tags, String user) {}

    public record UpdateModelVersion(String description) {}

    public record TransitionStage(String stage, Boolean archiveExistingVersions, String comment, String user) {}

    public record ModelVersionPage(List<ModelVersion> modelVersions, String nextPageToken) {}

    /** A model URI resolved: the version (absent for a runs:/ URI or a plain location) and where its files are. */
    public record ResolvedModelBody(String uri, ModelVersion modelVersion, String storageLocation) {}

    private final MetadataStore store;
    private final ModelResolver resolver;
    private final ObjectMapper mapper;

    public ModelVersionsApi(MetadataStore store, ModelResolver resolver, ObjectMapper mapper) {
        this.store = store;
        this.resolver = resolver;
        this.mapper = mapper;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post(VERSIONS, "Register the next version of a model from a source such as runs:/<run>/model")
                        .tag("model-versions").header(Actors.HEADER, "Who registers it, for the audit log")
                        .body(CreateModelVersion.class).returns(ModelVersion.class).status(201).access(Access.model(path("name"), Permission.EDIT)).handle(this::create),
                ApiRoute.get(VERSIONS, "List a model's versions").tag("model-versions")
                        .query("order_by", "string", "e.g. version_number DESC; may repeat")
                        .paged().returns(ModelVersionPage.class).access(Access.model(path("name"), Permission.READ)).handle(this::listOfModel),
                ApiRoute.get(VERSION, "Get a model version").tag("model-versions")
                        .returns(ModelVersion.class).access(Access.model(path("name"), Permission.READ)).handle(this::get),
                ApiRoute.patch(VERSION, "Change a model version's description").tag("model-versions")
                        .body(UpdateModelVersion.class).returns(ModelVersion.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::update),
                ApiRoute.delete(VERSION, "Delete a model version and the aliases pointing at it (each alias removal audited)")
                        .tag("model-versions").status(204).access(Access.model(path("name"), Permission.MANAGE)).handle(this::delete),
                ApiRoute.post(VERSION + "/tags", "Set a tag on a model version").tag("model-versions")
                        .body(Tag.class).returns(ModelVersion.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::setTag),
                ApiRoute.delete(VERSION + "/tags/<key>", "Delete a model version's tag").tag("model-versions")
                        .returns(ModelVersion.class).access(Access.model(path("name"), Permission.EDIT)).handle(this::deleteTag),
                ApiRoute.post(VERSION + "/stage", "Move a version to a stage (None, Staging, Production, Archived)")
                        .tag("model-versions").body(TransitionStage.class).returns(ModelVersion.class)
                        .access(Access.model(path("name"), Permission.EDIT)).handle(this::transition),
                ApiRoute.get(CairnApi.PREFIX + "/model-versions", "Search model versions of all models")
                        .tag("model-versions").query("filter", "string", "e.g. name = 'credit' or run_id = '…'")
                        .query("order_by", "string", "may repeat").paged().returns(ModelVersionPage.class)
                        .access(Access.authenticated()).handle(this::search),
                ApiRoute.get(CairnApi.PREFIX + "/model-versions/resolve",
                                "Resolve models:/name/3, models:/name@alias or runs:/<run>/path to a version and its storage location")
                        .tag("model-versions").requiredQuery("uri", "string", "The model URI")
                        .returns(ResolvedModelBody.class)
                        // A models:/ URI is judged by its model, a runs:/ URI by its run's experiment.
                        .access(Access.firstFound(new Access.OnResource(ResourceKind.REGISTERED_MODEL, modelOfUri(query("uri")), Permission.READ),
                                new Access.OnResource(ResourceKind.EXPERIMENT, experimentOfRun(runOfUri(query("uri"))), Permission.READ)))
                        .handle(this::resolve));
    }

    private void create(Context ctx) {
        CreateModelVersion body = RequestBodies.read(ctx, mapper, CreateModelVersion.class);
        String source = Params.required("source", body.source());
        String runId = body.runId();
        if (ModelReference.parse(source) instanceof ModelReference.RunArtifact artifact) {
            if (runId == null || runId.isBlank()) {
                runId = artifact.runId();
            } else if (!runId.equals(artifact.runId())) {
                throw CairnException.invalid("run_id", runId, "the run of the source " + source + " ('" + artifact.runId() + "')");
            }
        }
        if (runId != null && !runId.isBlank()) {
            store.runs().getRun(runId); // a version must not name a run that does not exist
        }
        // Only a model in the artifact store: not file:///etc, not runs:/<run>/../../etc.
        resolver.resolveInArtifactStore("source", source);
        ModelVersion version = store.registry().createModelVersion(ctx.pathParam("name"), source,
                runId == null || runId.isBlank() ? null : runId, body.description(), Params.tags(body.tags()),
                Actors.from(ctx, body.user()));
        ctx.status(201).json(version);
    }

    private void listOfModel(Context ctx) {
        String name = ctx.pathParam("name");
        store.registry().getRegisteredModel(name); // 404 for an unknown model rather than an empty list
        Paging paging = Paging.from(ctx);
        Page<ModelVersion> page = store.registry().searchModelVersions("name = '" + name + "'", Params.orderBy(ctx),
                paging.maxResults(), paging.pageToken());
        ctx.json(new ModelVersionPage(page.items(), page.nextPageToken()));
    }

    private void search(Context ctx) {
        Paging paging = Paging.from(ctx);
        Page<ModelVersion> page = store.registry().searchModelVersions(Params.optional(ctx, "filter"), Params.orderBy(ctx),
                paging.maxResults(), paging.pageToken());
        // Only versions of models the caller may read (a page may hold fewer than max_results; its token still continues).
        ctx.json(new ModelVersionPage(AccessControl.readable(ctx, ResourceKind.REGISTERED_MODEL, page.items(), ModelVersion::name),
                page.nextPageToken()));
    }

    private void get(Context ctx) {
        ctx.json(store.registry().getModelVersion(ctx.pathParam("name"), Params.version(ctx)));
    }

    private void update(Context ctx) {
        UpdateModelVersion body = RequestBodies.read(ctx, mapper, UpdateModelVersion.class);
        String description = body.description();
        if (description == null) throw CairnException.invalid("description", null, "a string");
        ctx.json(store.registry().updateModelVersion(ctx.pathParam("name"), Params.version(ctx), description));
    }

    private void delete(Context ctx) {
        store.registry().deleteModelVersion(ctx.pathParam("name"), Params.version(ctx), Actors.from(ctx));
        ctx.status(204);
    }

    private void setTag(Context ctx) {
        Tag tag = Params.tag(RequestBodies.read(ctx, mapper, Tag.class));
        String name = ctx.pathParam("name");
        long version = Params.version(ctx);
        store.registry().setModelVersionTag(name, version, tag);
        ctx.json(store.registry().getModelVersion(name, version));
    }

    private void deleteTag(Context ctx) {
        String name = ctx.pathParam("name");
        long version = Params.version(ctx);
        store.registry().deleteModelVersionTag(name, version, ctx.pathParam("key"));
        ctx.json(store.registry().getModelVersion(name, version));
    }

    private void transition(Context ctx) {
        TransitionStage body = RequestBodies.read(ctx, mapper, TransitionStage.class);
        ModelVersion version = store.registry().transitionModelVersionStage(ctx.pathParam("name"), Params.version(ctx),
                Params.required("stage", body.stage()), Boolean.TRUE.equals(body.archiveExistingVersions()),
                Actors.from(ctx, body.user()), body.comment());
        ctx.json(version);
    }

    private void resolve(Context ctx) {
        String uri = Params.required("uri", ctx.queryParam("uri"));
        ModelResolver.ResolvedModel resolved = resolver.resolve(uri);
        ctx.json(new ResolvedModelBody(uri, resolved.version(), resolved.storageLocation()));
    }
}

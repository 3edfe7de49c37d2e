package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.experimentNamed;
import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import java.util.List;

/** Experiments: create, read (by id or name), search, rename, tag, delete and restore. */
public final class ExperimentsApi {

    static final String BASE = CairnApi.PREFIX + "/experiments";

    public record CreateExperiment(String name, String artifactLocation, List<Tag> tags) {}

    public record UpdateExperiment(String name) {}

    public record ExperimentPage(List<Experiment> experiments, String nextPageToken) {}

    private final ExperimentStore experiments;
    private final ArtifactLocations locations;
    private final ObjectMapper mapper;

    /** {@code locations}: an artifact location a client gives must lie under its root. */
    public ExperimentsApi(ExperimentStore experiments, ArtifactLocations locations, ObjectMapper mapper) {
        this.experiments = experiments;
        this.locations = locations;
        this.mapper = mapper;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post(BASE, "Create an experiment; its name must be unused").tag("experiments")
                        .body(CreateExperiment.class).returns(Experiment.class).status(201).access(Access.authenticated()).handle(this::create),
                ApiRoute.get(BASE, "Search experiments").tag("experiments")
                        .query("view_type", "string", "ACTIVE_ONLY (default), DELETED_ONLY or ALL")
                        .query("filter", "string", "MLflow filter, e.g. name LIKE 'credit%' or tags.team = 'risk'")
                        .query("order_by", "string", "e.g. name ASC or creation_time DESC; may repeat")
                        .paged().returns(ExperimentPage.class).access(Access.authenticated()).handle(this::search),
                ApiRoute.get(BASE + "/{experiment_id}", "Get an experiment by id").tag("experiments")
                        .returns(Experiment.class).access(Access.experiment(path("experiment_id"), Permission.READ)).handle(this::get),
                ApiRoute.get(BASE + "/by-name/<experiment_name>", "Get an experiment by name").tag("experiments")
                        .returns(Experiment.class).access(Access.experiment(experimentNamed(path("experiment_name")), Permission.READ)).handle(this::getByName),
                ApiRoute.patch(BASE + "/{experiment_id}", "Rename an experiment").tag("experiments")
                        .body(UpdateExperiment.class).returns(Experiment.class).access(Access.experiment(path("experiment_id"), Permission.EDIT)).handle(this::rename),
                ApiRoute.delete(BASE + "/{experiment_id}", "Delete an experiment and its runs (restorable)").tag("experiments")
                        .returns(Experiment.class).access(Access.experiment(path("experiment_id"), Permission.MANAGE)).handle(this::delete),
                ApiRoute.post(BASE + "/{experiment_id}/restore", "Restore a deleted experiment and its runs").tag("experiments")
                        .returns(Experiment.class).access(Access.experiment(path("experiment_id"), Permission.MANAGE)).handle(this::restore),
                ApiRoute.post(BASE + "/{experiment_id}/tags", "Set a tag on an experiment").tag("experiments")
                        .body(Tag.class).returns(Experiment.class).access(Access.experiment(path("experiment_id"), Permission.EDIT)).handle(this::setTag),
                ApiRoute.delete(BASE + "/{experiment_id}/tags/<key>", "Delete an experiment's tag").tag("experiments")
                        .status(204).access(Access.experiment(path("experiment_id"), Permission.EDIT)).handle(this::deleteTag));
    }

    private void create(Context ctx) {
        CreateExperiment body = RequestBodies.read(ctx, mapper, CreateExperiment.class);
        String name = Params.required("name", body.name());
        String location = body.artifactLocation() == null || body.artifactLocation().isEmpty() ? null
                : locations.requireUnderRoot("artifact_location", body.artifactLocation(), body.artifactLocation());
        String id = experiments.createExperiment(name, location, Params.tags(body.tags()));
        AccessControl.created(ctx, ResourceKind.EXPERIMENT, id);
        ctx.status(201).json(experiments.getExperiment(id));
    }

    private void search(Context ctx) {
        Paging paging = Paging.from(ctx);
        Page<Experiment> page = experiments.searchExperiments(Params.viewType(ctx.queryParam("view_type")),
                Params.optional(ctx, "filter"), Params.orderBy(ctx), paging.maxResults(), paging.pageToken());
        // Only what the caller may read (a page may then hold fewer than max_results; its token still continues).
        ctx.json(new ExperimentPage(AccessControl.readable(ctx, ResourceKind.EXPERIMENT, page.items(), Experiment::experimentId),
                page.nextPageToken()));
    }

    private void get(Context ctx) {
        ctx.json(experiments.getExperiment(ctx.pathParam("experiment_id")));
    }

    private void getByName(Context ctx) {
        String name = ctx.pathParam("experiment_name");
        ctx.json(experiments.getExperimentByName(name).orElseThrow(() -> CairnException.notFound("experiment", name)));
    }

    private void rename(Context ctx) {
        UpdateExperiment body = RequestBodies.read(ctx, mapper, UpdateExperiment.class);
        String id = ctx.pathParam("experiment_id");
        experiments.renameExperiment(id, Params.required("name", body.name()));
        ctx.json(experiments.getExperiment(id));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("experiment_id");
        experiments.deleteExperiment(id);
        ctx.json(experiments.getExperiment(id));
    }

    private void restore(Context ctx) {
        String id = ctx.pathParam("experiment_id");
        experiments.restoreExperiment(id);
        ctx.json(experiments.getExperiment(id));
    }

    private void deleteTag(Context ctx) {
        experiments.deleteExperimentTag(ctx.pathParam("experiment_id"), ctx.pathParam("key"));
        ctx.status(204);
    }

    private void setTag(Context ctx) {
        Tag tag = RequestBodies.read(ctx, mapper, Tag.class);
        String id = ctx.pathParam("experiment_id");
        experiments.setExperimentTag(id, Params.tag(tag));
        ctx.json(experiments.getExperiment(id));
    }
}

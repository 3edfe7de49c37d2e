package dev.cairn.server.training;

import static dev.cairn.server.auth.ResourceLocator.experimentNamed;
import static dev.cairn.server.auth.ResourceLocator.field;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.Actors;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.auth.Access;
import io.javalin.http.Context;
import java.util.List;

/**
 * Training over REST, the same as {@code cairn train} and {@code cairn tune}: {@code POST
 * /api/v1/training/runs} trains one model as a tracked run and {@code POST /api/v1/training/tunings}
 * tunes over a search space (optionally registering the tuned model), both synchronously on data
 * that is a file on the server's disk, answering 201 once the run has finished.
 */
public final class TrainingApi implements DocumentedRoutes {
    public static final String TRAINING = CairnApi.PREFIX + "/training";
    public static final String RUNS = TRAINING + "/runs";
    public static final String TUNINGS = TRAINING + "/tunings";

    private final TrainingService service;
    private final ObjectMapper mapper;
    private final List<ApiRoute> routes;

    public TrainingApi(TrainingService service) {
        this.service = service;
        this.mapper = JsonMappers.strict();
        this.routes = List.of(
                ApiRoute.post(RUNS, "Train a model on a data file on the server as a tracked run (as `cairn train`); answers once the run has finished")
                        .tag("training").header(Actors.HEADER, "Who the run is recorded as").body(TrainingService.TrainingRunRequest.class)
                        .returns(TrainingService.TrainingRunResult.class).status(201).access(Access.experiment(experimentNamed(field("experiment")), Permission.EDIT)).handle(this::train),
                ApiRoute.post(TUNINGS, "Tune hyperparameters over a YAML search space (as `cairn tune`); trials are child runs, "
                                + "the tuned model is packaged in the parent run and optionally registered")
                        .tag("training").header(Actors.HEADER, "Who the runs are recorded as and who registers the tuned model").body(TrainingService.TuningRequest.class)
                        .returns(TrainingService.TuningResult.class).status(201).access(Access.experiment(experimentNamed(field("experiment")), Permission.EDIT)).handle(this::tune));
    }

    /** The routes as data: they register the handlers and describe them in the OpenAPI document. */
    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private void train(Context ctx) {
        TrainingService.TrainingRunRequest request = RequestBodies.read(ctx, mapper, TrainingService.TrainingRunRequest.class);
        requireDataAndLabel(request.data(), request.label());
        ctx.status(201).json(service.train(request, Actors.from(ctx)));
    }

    private void tune(Context ctx) {
        TrainingService.TuningRequest request = RequestBodies.read(ctx, mapper, TrainingService.TuningRequest.class);
        requireDataAndLabel(request.data(), request.label());
        boolean inline = request.space() != null && !request.space().isBlank();
        boolean file = request.spacePath() != null && !request.spacePath().isBlank();
        if (inline == file) {
            throw CairnException.invalid("space", request.space(), "either the search space as YAML text or its path on the server in space_path, not "
                    + (inline ? "both" : "neither"));
        }
        TrainingService.TuningRegistration register = request.register();
        if (register != null && (register.name() == null || register.name().isBlank())) {
            throw CairnException.invalid("register.name", register.name(), "the name of the registered model to create a version of");
        }
        ctx.status(201).json(service.tune(request, Actors.from(ctx)));
    }

    private static void requireDataAndLabel(String data, String label) {
        if (data == null || data.isBlank()) throw CairnException.invalid("data", data, "the path of the training data (.csv, .parquet or .jsonl) on the server");
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the label column");
    }
}

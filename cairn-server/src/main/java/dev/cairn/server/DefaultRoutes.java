package dev.cairn.server;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.auth.AuthAdmin;
import dev.cairn.server.auth.AuthApi;
import dev.cairn.server.auth.MlflowAuthApi;
import dev.cairn.server.auth.Passwords;
import dev.cairn.server.data.DataApi;
import dev.cairn.server.evaluation.TrainEvaluationService;
import dev.cairn.server.mlflow.MlflowApi;
import dev.cairn.server.mlflow.MlflowArtifactsApi;
import java.time.Clock;
import java.util.List;

/**
 * The route groups a full Cairn server serves, constructed from the stores they need: Cairn's
 * /api/v1 with its admin API of accounts and grants (/api/v1/auth), the MLflow-compatible tracking,
 * registry, artifact and auth APIs, and evaluations.
 */
public final class DefaultRoutes {

    private DefaultRoutes() {}

    public static List<ApiRoutes> create(MetadataStore store, ArtifactRepository artifacts) {
        AuthAdmin admin = new AuthAdmin(store, new Passwords(), Clock.systemUTC());
        return List.of(
                new CairnApi(store, artifacts),
                new AuthApi(admin),
                new MlflowAuthApi(admin),
                new MlflowApi(store, artifacts),
                new MlflowArtifactsApi(artifacts),
                TrainEvaluationService.routes(store, artifacts),
                new DataApi(store.runs(), artifacts),
                dev.cairn.server.training.TrainTrainingService.routes(store));
    }
}

package dev.cairn.server;

import dev.cairn.core.access.DataAccess;
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
 * registry, artifact and auth APIs, and evaluations. The data, training and evaluation routes read only what
 * {@code access} allows (none: no file or database a request names).
 */
public final class DefaultRoutes {

    private DefaultRoutes() {}

    public static List<ApiRoutes> create(MetadataStore store, ArtifactRepository artifacts) {
        return create(store, artifacts, DataAccess.none());
    }

    public static List<ApiRoutes> create(MetadataStore store, ArtifactRepository artifacts, DataAccess access) {
        AuthAdmin admin = new AuthAdmin(store, new Passwords(), Clock.systemUTC());
        return List.of(
                new CairnApi(store, artifacts),
                new AuthApi(admin),
                new MlflowAuthApi(admin),
                new MlflowApi(store, artifacts),
                new MlflowArtifactsApi(artifacts, new dev.cairn.server.tracking.VersionArtifacts(store,
                        new dev.cairn.server.tracking.ArtifactLocations(artifacts))),
                TrainEvaluationService.routes(store, artifacts, access),
                new DataApi(store.runs(), artifacts, access),
                dev.cairn.server.training.TrainTrainingService.routes(store, access));
    }
}

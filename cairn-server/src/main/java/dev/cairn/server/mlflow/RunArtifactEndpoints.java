package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.RunInfo;
import java.util.List;
import java.util.Map;

/**
 * ListArtifacts of the tracking API ({@code GET /mlflow/artifacts/list?run_id=…&path=…}), which
 * MLflow's web UI and older clients use: a run's artifacts, listed from the artifact root this
 * server serves, with paths relative to the run's artifact root.
 */
final class RunArtifactEndpoints {

    private final RunStore runs;
    private final ArtifactRepository artifacts;
    private final ArtifactLocations locations;

    RunArtifactEndpoints(RunStore runs, ArtifactRepository artifacts, ArtifactLocations locations) {
        this.runs = runs;
        this.artifacts = artifacts;
        this.locations = locations;
    }

    ObjectNode list(MlflowRequest request) {
        String runId = request.requiredRunId();
        String path = ArtifactPaths.check(request.string("path"), "path");
        RunInfo info = runs.getRun(runId).info();
        String runRoot = locations.relativeToRoot(info.artifactUri());
        if (runRoot == null) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The artifacts of run '" + runId + "' are stored at '" + info.artifactUri()
                            + "', outside the artifact root this server serves; read them from there directly",
                    Map.of("field", "run_id", "value", runId, "expected", "a run whose artifacts this server serves"));
        }
        ObjectNode out = MlflowWire.object();
        out.put("root_uri", locations.toClient(info.artifactUri()));
        List<ArtifactInfo> children = artifacts.list(ArtifactPaths.join(runRoot, path));
        if (!children.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactInfo child : children) {
                ObjectNode file = files.addObject();
                file.put("path", ArtifactPaths.join(path, ArtifactPaths.baseName(child.path())));
                file.put("is_dir", child.isDirectory());
                if (!child.isDirectory()) file.put("file_size", child.size());
            }
        }
        return out;
    }
}

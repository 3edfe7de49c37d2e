package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.offline.FeatureTraining;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What train and tune steps on a feature service share: the feature store of the pipeline (reading only what the
 * workspace may), the point-in-time training set built for the step's entity rows (the feature store's one
 * implementation), kept as a snapshot so the run can be repeated, and the lineage of the service and its views at
 * the versions used.
 */
final class FeatureInputs {
    static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

    private FeatureInputs() {}

    /** The training set built, where it is (a file in the step's work directory) and its snapshot. */
    record Built(FeatureTraining training, Path file, Snapshot snapshot) {
        String snapshotUri() {
            return StepContext.SNAPSHOT_SCHEME + snapshot.sha256();
        }
    }

    /** The pipeline's feature store; a step on a feature service fails, naming it, when the engine has no registry. */
    static FeatureStore store(StepContext context, String key) {
        FeatureRegistry registry = context.services().features();
        if (registry == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, context.field(key) + ": this pipeline engine has no feature registry "
                    + "(PipelineServices.withFeatures(metadata.features())), so it cannot read feature definitions",
                    Map.of("field", context.field(key)));
        }
        Workspace workspace = context.workspace();
        return new FeatureStore(registry, workspace.dataAccess(), context.services().environment());
    }

    static String timestampColumn(StepContext context) {
        return context.optionalText("timestamp_column").orElse(DEFAULT_TIMESTAMP_COLUMN);
    }

    /**
     * Builds the step's training set into its work directory and keeps it as a snapshot; records the entity rows, the
     * service and each view (at their versions) as inputs of the step, and the snapshot as its output.
     */
    static Built build(StepContext context) {
        String service = context.text("feature_service");
        Path entities = context.dataFile("entities");
        FeatureStore store = store(context, "feature_service");
        Path file = context.workDir().resolve("training-set-" + context.step().id() + ".parquet");
        FeatureTraining training = Fields.naming(context, "feature_service", () -> store.forTraining(service, FileSource.of(entities),
                timestampColumn(context), file, Progress.NONE));
        for (FeatureTraining.Used used : training.used()) context.consumed(used.kind(), used.uri(), used.sha256());
        Snapshot snapshot = context.services().snapshots().take(FileSource.of(file), "training_set");
        context.produced("snapshot", StepContext.SNAPSHOT_SCHEME + snapshot.sha256(), snapshot.sha256());
        context.log("Training set of feature service " + service + ": " + training.set().rows() + " rows, features "
                + String.join(", ", training.set().features()) + " (" + training.tags().get(FeatureTraining.TAG_VIEWS) + "), snapshot "
                + snapshot.sha256());
        return new Built(training, file, snapshot);
    }

    /**
     * The cache key's part for a step on a feature service: the training set's content, built once more here. A
     * service's sources are tables and files the spec does not name, so nothing cheaper says whether the features
     * changed; building the set costs a join, training costs far more.
     */
    static List<String> cacheKeyParts(StepContext probe) {
        if (!probe.has("feature_service")) return List.of();
        Path dir;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(probe.services().scratch()), "cache-key-");
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot make a scratch directory for the cache key: " + e.getMessage(), e);
        }
        try {
            String ref = probe.text("entities");
            Path entities = ref.startsWith(StepContext.SNAPSHOT_SCHEME)
                    ? probe.services().snapshots().copyTo(ref.substring(StepContext.SNAPSHOT_SCHEME.length()), dir.resolve("entities.parquet"))
                    : probe.workspace().file(probe.field("entities"), ref);
            FeatureStore store = store(probe, "feature_service");
            FeatureTraining training = Fields.naming(probe, "feature_service", () -> store.forTraining(probe.text("feature_service"),
                    FileSource.of(entities), timestampColumn(probe), dir.resolve("training-set.parquet"), Progress.NONE));
            return List.of("feature_service", training.set().sha256(), String.join(",", training.tags().values()));
        } finally {
            LoadedTable.deleteRecursively(dir);
        }
    }
}

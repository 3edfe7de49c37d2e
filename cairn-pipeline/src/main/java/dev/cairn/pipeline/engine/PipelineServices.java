package dev.cairn.pipeline.engine;

import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the engine and its step runners work with: the tracking and registry stores (as the actor runs are recorded
 * as), the snapshot store, what the workspace lets steps reach, the clock (a simulated one runs a month of nights in
 * a test), the environment (secrets such as a JDBC password are read from variables a spec names, never written in
 * it) and a scratch directory under which each step gets its own, deleted afterwards. {@code features} is the
 * feature registry (the metadata store's) that train and tune steps on a feature service and materialize steps read;
 * null where there is none, and such steps then fail saying so.
 */
public record PipelineServices(Tracking tracking, Snapshots snapshots, Workspace workspace, Clock clock,
                               Function<String, String> environment, Path scratch, FeatureRegistry features) {

    /** Without a feature registry: steps on feature services cannot run. */
    public PipelineServices(Tracking tracking, Snapshots snapshots, Workspace workspace, Clock clock,
                            Function<String, String> environment, Path scratch) {
        this(tracking, snapshots, workspace, clock, environment, scratch, null);
    }

    public PipelineServices {
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(workspace, "workspace");
        clock = clock == null ? Clock.systemUTC() : clock;
        environment = environment == null ? System::getenv : environment;
        Objects.requireNonNull(scratch, "scratch");
    }

    public PipelineServices withWorkspace(Workspace other) {
        return new PipelineServices(tracking, snapshots, other, clock, environment, scratch, features);
    }

    public PipelineServices withTracking(Tracking other) {
        return new PipelineServices(other, snapshots, workspace, clock, environment, scratch, features);
    }

    /** The same services with the metadata store's feature registry (e.g. {@code metadata.features()}). */
    public PipelineServices withFeatures(FeatureRegistry registry) {
        return new PipelineServices(tracking, snapshots, workspace, clock, environment, scratch, registry);
    }
}

package dev.cairn.pipeline.engine;

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
 * it) and a scratch directory under which each step gets its own, deleted afterwards.
 */
public record PipelineServices(Tracking tracking, Snapshots snapshots, Workspace workspace, Clock clock,
                               Function<String, String> environment, Path scratch) {
    public PipelineServices {
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(workspace, "workspace");
        clock = clock == null ? Clock.systemUTC() : clock;
        environment = environment == null ? System::getenv : environment;
        Objects.requireNonNull(scratch, "scratch");
    }

    public PipelineServices withWorkspace(Workspace other) {
        return new PipelineServices(tracking, snapshots, other, clock, environment, scratch);
    }

    public PipelineServices withTracking(Tracking other) {
        return new PipelineServices(other, snapshots, workspace, clock, environment, scratch);
    }
}

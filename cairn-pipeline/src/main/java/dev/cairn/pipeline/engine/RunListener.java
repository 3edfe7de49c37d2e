package dev.cairn.pipeline.engine;

import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.StepRun;

/** Follows a run as it goes: the CLI prints progress per step, the server's metrics count. Every method is optional. */
public interface RunListener {
    RunListener NONE = new RunListener() {};

    default void runStarted(PipelineRun run) {}

    default void stepChanged(StepRun step) {}

    default void log(String stepId, String level, String message) {}

    default void runEnded(PipelineRun run) {}
}

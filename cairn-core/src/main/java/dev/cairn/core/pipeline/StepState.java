package dev.cairn.core.pipeline;

/** Where one step of a pipeline run is. */
public enum StepState {
    PENDING,
    RUNNING,
    /** Ran and produced its outputs. */
    SUCCEEDED,
    /** Not run: an earlier run's outputs for the same inputs, parameters and code were reused. */
    CACHED,
    /** Not run: its condition was false, or a step it needs was skipped. */
    SKIPPED,
    FAILED,
    /** Not run, or stopped: the run was cancelled, or a step it needs failed. */
    CANCELLED;

    public boolean terminal() {
        return this != PENDING && this != RUNNING;
    }

    /** Whether later steps may use its outputs. */
    public boolean producedOutputs() {
        return this == SUCCEEDED || this == CACHED;
    }
}

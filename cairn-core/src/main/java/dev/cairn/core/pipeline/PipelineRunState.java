package dev.cairn.core.pipeline;

/** Where a pipeline run is; the last three are final. */
public enum PipelineRunState {
    /** Created, waiting for a runner (and for the pipeline's concurrency limit). */
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}

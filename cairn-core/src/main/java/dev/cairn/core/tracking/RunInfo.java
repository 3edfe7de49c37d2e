package dev.cairn.core.tracking;

/** A run's identity and state; {@code endTime} is null while the run is not terminated. */
public record RunInfo(
        String runId,
        String experimentId,
        String runName,
        String userId,
        RunStatus status,
        long startTime,
        Long endTime,
        String artifactUri,
        LifecycleStage lifecycleStage) {}

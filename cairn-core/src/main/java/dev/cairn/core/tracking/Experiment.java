package dev.cairn.core.tracking;

import java.util.List;

/** An experiment groups runs. Times are epoch milliseconds. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        LifecycleStage lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        List<Tag> tags) {}

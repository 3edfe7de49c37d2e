package dev.cairn.core.registry;

import dev.cairn.core.tracking.Tag;
import java.util.List;

/**
 * One version of a registered model. {@code source} is where its package lives (a
 * {@code runs:/} URI or a storage URI); {@code currentStage} is MLflow's legacy stage
 * ("None", "Staging", "Production", "Archived"), aliases are the modern way.
 */
public record ModelVersion(
        String name,
        long version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String userId,
        String currentStage,
        String description,
        String source,
        String runId,
        ModelVersionStatus status,
        String statusMessage,
        List<Tag> tags,
        List<String> aliases) {}

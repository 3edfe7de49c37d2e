package dev.cairn.core.registry;

import dev.cairn.core.tracking.Tag;
import java.util.List;

/** A named model under which versions are registered. Times are epoch milliseconds. */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<Tag> tags,
        List<ModelAlias> aliases) {}

package dev.cairn.core.registry;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/**
 * Registers a package as the next version of a model, creating the model when it is the first
 * (tolerating a concurrent creator), and optionally points an alias at the new version: the one
 * implementation training, tuning, {@code cairn models register}, the ONNX import and the REST
 * training API share.
 */
public final class Registrations {
    private Registrations() {}

    /**
     * @param alias       an alias to point at the new version, or null
     * @param aliasReason what the audit log records for the alias change
     * @return the new version, with its aliases
     */
    public static ModelVersion registerVersion(RegistryStore registry, String name, String source, String runId, String description,
                                               List<Tag> tags, String alias, String actor, String aliasReason) {
        try {
            registry.getRegisteredModel(name);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
            try {
                registry.createRegisteredModel(name, null, List.of(), actor);
            } catch (CairnException raced) {
                if (raced.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) throw raced;
            }
        }
        ModelVersion version = registry.createModelVersion(name, source, runId, description, tags, actor);
        if (alias == null || alias.isBlank()) return version;
        registry.setAlias(name, alias, version.version(), actor, aliasReason);
        return registry.getModelVersion(name, version.version());
    }
}

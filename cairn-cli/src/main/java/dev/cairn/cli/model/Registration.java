package dev.cairn.cli.model;

import dev.cairn.cli.Actor;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/** Registers a verified package as the next version of a model (created if missing), optionally under an alias. */
final class Registration {
    private Registration() {}

    static ModelVersion register(RegistryStore registry, String name, String source, String runId, String description,
                                 String alias, String flavor) {
        String actor = Actor.current();
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
        ModelVersion version = registry.createModelVersion(name, source, runId, description,
                List.of(new Tag("cairn.source", "cli"), new Tag("cairn.flavor", flavor)), actor);
        if (alias != null && !alias.isBlank()) {
            registry.setAlias(name, alias, version.version(), actor, "cairn models register");
            version = registry.getModelVersion(name, version.version());
        }
        return version;
    }
}

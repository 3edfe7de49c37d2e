package dev.cairn.cli.model;

import dev.cairn.cli.Actor;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.Registrations;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/** Registers a verified package as the next version of a model (created if missing), optionally under an alias. */
final class Registration {
    private Registration() {}

    static ModelVersion register(RegistryStore registry, String name, String source, String runId, String description,
                                 String alias, String flavor) {
        return Registrations.registerVersion(registry, name, source, runId, description,
                List.of(new Tag("cairn.source", "cli"), new Tag("cairn.flavor", flavor)), alias, Actor.current(), "cairn models register");
    }
}

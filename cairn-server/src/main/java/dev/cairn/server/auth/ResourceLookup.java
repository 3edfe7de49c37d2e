package dev.cairn.server.auth;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Experiment;
import java.util.Optional;
import java.util.function.Supplier;

/** What a locator may ask of the stores to find a request's resource: the experiment of a run, an experiment by name. */
public interface ResourceLookup {

    Optional<String> experimentOfRun(String runId);

    Optional<String> experimentIdByName(String name);

    Optional<String> pipelineOfRun(String pipelineRunId);

    /** Looks resources up in a metadata store; an unknown id, or one the store refuses as malformed, is empty. */
    static ResourceLookup of(MetadataStore store) {
        return new ResourceLookup() {
            @Override
            public Optional<String> experimentOfRun(String runId) {
                return quietly(() -> store.runs().getRun(runId).info().experimentId());
            }

            @Override
            public Optional<String> experimentIdByName(String name) {
                return quietly(() -> store.experiments().getExperimentByName(name).map(Experiment::experimentId).orElse(null));
            }

            @Override
            public Optional<String> pipelineOfRun(String pipelineRunId) {
                return quietly(() -> store.pipelines().getRun(pipelineRunId).pipeline());
            }
        };
    }

    private static Optional<String> quietly(Supplier<String> lookup) {
        try {
            return Optional.ofNullable(lookup.get());
        } catch (CairnException unknownOrMalformed) {
            return Optional.empty();
        }
    }
}

package dev.cairn.pipeline.engine;

import dev.cairn.pipeline.spec.StepType;
import java.util.List;

/**
 * What a step of one type does. The engine resolves the step's {@code with}, decides whether it is cached, opens its
 * child run, retries it and records its outputs; a runner only does the work through the services it is given
 * ({@link StepContext}). A runner throws {@link dev.cairn.core.error.CairnException} for what the user must fix
 * (never retried: bad input does not heal) and anything else for what may be transient (retried as the step says).
 */
public interface StepRunner {

    StepType type();

    /**
     * What the step's result depends on beyond its resolved {@code with}, the content of the files and snapshots
     * it names and the code version: e.g. the version an evaluation's {@code champion} alias points at now. Called
     * only for cached step types, before {@link #run}.
     */
    default List<String> cacheKeyParts(StepContext context) {
        return List.of();
    }

    StepResult run(StepContext context) throws Exception;
}

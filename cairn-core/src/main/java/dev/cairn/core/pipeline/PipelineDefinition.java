package dev.cairn.core.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered pipeline: its current spec version and whether its triggers are paused. Every version a run used
 * stays readable by its hash ({@link dev.cairn.core.store.PipelineStore#specText}).
 *
 * @param name       the pipeline's name, as its spec says
 * @param sha256     the current spec text's SHA-256 (hex)
 * @param specText   the current spec, as registered
 * @param source     where it was registered from (a file path or "api"), for people
 * @param paused     whether schedules, data and alert triggers are ignored (manual and CI runs still start)
 * @param createdAt  when the first version was registered
 * @param updatedAt  when the current version was registered
 * @param updatedBy  who registered it
 */
public record PipelineDefinition(String name, String sha256, String specText, String source, boolean paused,
                                 Instant createdAt, Instant updatedAt, String updatedBy) {
    public PipelineDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(specText, "specText");
    }
}

package dev.cairn.core.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * An artifact a step read or wrote: an edge of the lineage graph between the step (of a run) and the artifact.
 *
 * @param runId     the pipeline run
 * @param stepId    the step
 * @param direction whether the step read ({@code INPUT}) or wrote ({@code OUTPUT}) it
 * @param kind      what it is: {@code snapshot}, {@code model}, {@code model_version}, {@code table}, {@code file},
 *                  {@code report}, {@code run}, {@code source}, {@code alert}
 * @param uri       where it is: {@code snapshot:<sha256>}, {@code models:/credit-risk/3}, {@code runs:/<id>/model},
 *                  a JDBC URL with {@code #table}, a file URI; passwords never appear
 * @param sha256    its content hash when known, else null
 * @param time      when the edge was recorded
 */
public record LineageEdge(String runId, String stepId, Direction direction, String kind, String uri, String sha256,
                          Instant time) {
    public enum Direction { INPUT, OUTPUT }

    public LineageEdge {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
    }
}

package dev.cairn.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code ${...}} in a spec refers to: a parameter ({@code ${params.data}}), an output of an upstream step
 * ({@code ${steps.evaluate.outputs.blessed}}) or a fact about the run ({@code ${run.time}}). {@code step} is null
 * unless the kind is {@link Kind#OUTPUT}.
 */
public record Reference(Kind kind, String step, String name) {

    public enum Kind {
        @JsonProperty("param") PARAM,
        @JsonProperty("output") OUTPUT,
        @JsonProperty("run") RUN
    }

    /**
     * The facts about a run a spec may use: {@code id} (the run's id), {@code time} (its logical time as an ISO-8601
     * instant: the scheduled time for a scheduled run, else when it was triggered; a simulated clock sets it),
     * {@code date} (that time's date, yyyy-MM-dd, in the schedule's zone, UTC without one), {@code trigger}
     * (schedule, data, alert or manual) and {@code pipeline} (the pipeline's name).
     */
    public static final List<String> RUN_VARIABLES = List.of("id", "time", "date", "trigger", "pipeline");

    public Reference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if ((kind == Kind.OUTPUT) != (step != null)) throw new IllegalArgumentException("a step is named by outputs only");
    }

    public static Reference param(String name) {
        return new Reference(Kind.PARAM, null, name);
    }

    public static Reference output(String step, String name) {
        return new Reference(Kind.OUTPUT, step, name);
    }

    public static Reference run(String name) {
        return new Reference(Kind.RUN, null, name);
    }

    /** As written in a spec: {@code ${steps.read.outputs.table}}. */
    public String expression() {
        return switch (kind) {
            case PARAM -> "${params." + name + "}";
            case OUTPUT -> "${steps." + step + ".outputs." + name + "}";
            case RUN -> "${run." + name + "}";
        };
    }

    @Override
    public String toString() {
        return expression();
    }
}

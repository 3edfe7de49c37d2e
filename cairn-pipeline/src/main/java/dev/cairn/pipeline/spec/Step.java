package dev.cairn.pipeline.spec;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One step of a pipeline, as the spec declares it.
 *
 * @param id          unique in the pipeline, {@code [a-z0-9][a-z0-9_-]*}
 * @param type        what the step does
 * @param description optional, for people
 * @param needs       the steps that must succeed first (direct only; see {@link PipelineSpec#upstream})
 * @param with        the step's inputs by key: texts, numbers, booleans, {@link Duration}s, lists and maps as the
 *                    type's {@link StepType#inputs()} declare, texts possibly holding {@code ${...}} references
 *                    (resolve them with {@link #resolveWith})
 * @param condition   the {@code if}: null when the step always runs
 * @param retry       {@link Retry#NONE} unless the spec says
 * @param timeout     how long one attempt may take; null when the spec sets none
 * @param cache       whether the step may reuse an earlier run's outputs for the same inputs
 * @param references  every reference in {@code with} and {@code if}, in order of appearance, each once
 * @param line        the line the step starts at in the spec
 */
public record Step(String id, StepType type, String description, List<String> needs, Map<String, Object> with,
                   Condition condition, Retry retry, Duration timeout, boolean cache, List<Reference> references,
                   int line) {

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        needs = List.copyOf(needs);
        with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
        Objects.requireNonNull(retry, "retry");
        references = List.copyOf(references);
    }

    /**
     * The names of the outputs later steps may use: those the type declares, and for a {@code command} step also
     * those its {@code with.outputs} lists.
     */
    public List<String> outputs() {
        Set<String> names = new LinkedHashSet<>(type.outputs().stream().map(StepType.Output::name).toList());
        if (type == StepType.COMMAND && with.get("outputs") instanceof List<?> declared) {
            for (Object o : declared) names.add(String.valueOf(o));
        }
        return List.copyOf(names);
    }

    /** Whether the step is user code, which the engine refuses unless the server allows commands. */
    public boolean userCode() {
        return type.userCode();
    }

    /** The {@code with} values with every reference resolved by {@code values} (see {@link Template#resolve}). */
    public Map<String, Object> resolveWith(Function<Reference, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        with.forEach((k, v) -> out.put(k, Template.resolve(v, values)));
        return Collections.unmodifiableMap(out);
    }
}

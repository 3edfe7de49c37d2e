package dev.cairn.pipeline.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step produced: its outputs by name (texts, numbers, booleans, lists), which later steps read as
 * {@code ${steps.ID.outputs.NAME}}. Lineage edges are recorded through {@link StepContext#consumed} and
 * {@link StepContext#produced} as the step goes.
 */
public record StepResult(Map<String, Object> outputs) {
    public StepResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    public static StepResult of(Map<String, Object> outputs) {
        return new StepResult(outputs);
    }

    public static StepResult empty() {
        return new StepResult(Map.of());
    }
}

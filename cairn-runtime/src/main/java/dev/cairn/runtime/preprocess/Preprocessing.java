package dev.cairn.runtime.preprocess;

import java.util.List;

/**
 * The preprocessing of a model: fitted steps, and the names of the features of the vector the
 * model was trained on, in that vector's order. A feature is named after its input column, or
 * {@code column=category} for a one-hot column; inputs none of whose features are listed are
 * validated but not fed to the model.
 */
public record Preprocessing(List<PreprocessingStep> steps, List<String> features) {

    public Preprocessing {
        steps = steps == null ? List.of() : List.copyOf(steps);
        features = List.copyOf(features);
    }
}

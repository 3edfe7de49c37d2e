package dev.cairn.runtime.pkg;

import java.util.List;

/**
 * The model's output: its kind, the name of the predicted column (e.g. {@code class}) and, for
 * classifiers, the class names in the order the model scores them (for binary: negative first,
 * positive second).
 */
public record OutputSpec(OutputKind kind, String name, List<String> classes) {

    public OutputSpec {
        classes = classes == null ? null : List.copyOf(classes);
    }

    public static OutputSpec binary(String name, String negative, String positive) {
        return new OutputSpec(OutputKind.BINARY, name, List.of(negative, positive));
    }

    public static OutputSpec multiclass(String name, List<String> classes) {
        return new OutputSpec(OutputKind.MULTICLASS, name, classes);
    }

    public static OutputSpec regression(String name) {
        return new OutputSpec(OutputKind.REGRESSION, name, null);
    }

    public boolean isClassifier() {
        return kind != OutputKind.REGRESSION;
    }
}

package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a model predicts: decides which parts of a {@code Prediction} are filled. */
public enum OutputKind {
    /** Two classes; the model scores the second class of {@link OutputSpec#classes()} (the positive one). */
    @JsonProperty("binary") BINARY,
    /** Three or more classes, one probability each. */
    @JsonProperty("multiclass") MULTICLASS,
    /** A number. */
    @JsonProperty("regression") REGRESSION
}

package dev.cairn.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a step input or output holds; a value that is one whole {@code ${...}} is checked when the run resolves it. */
public enum ValueKind {
    /** Any scalar, kept as the text written ({@code positive_class: 1} is "1", {@code label: on} is "on"). */
    @JsonProperty("text") TEXT("a text"),
    @JsonProperty("number") NUMBER("a number"),
    @JsonProperty("integer") INTEGER("a whole number"),
    @JsonProperty("boolean") BOOLEAN("true or false"),
    /** ISO-8601 ({@code PT30M}) or short ({@code 30m}); held as a {@link java.time.Duration}. */
    @JsonProperty("duration") DURATION("a duration such as PT30M or 30m"),
    /** A list; a single scalar is read as a list of one. */
    @JsonProperty("list") LIST("a list"),
    @JsonProperty("map") MAP("a mapping"),
    @JsonProperty("any") ANY("any value");

    private final String expected;

    ValueKind(String expected) {
        this.expected = expected;
    }

    /** For messages: "a whole number". */
    public String expected() {
        return expected;
    }
}

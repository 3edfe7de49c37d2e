package dev.cairn.data.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How much a failed check matters: an error fails the validation (exit code 1), a warning does not. */
public enum Severity {
    @JsonProperty("warning") WARNING,
    @JsonProperty("error") ERROR
}

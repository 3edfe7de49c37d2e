package dev.cairn.runtime.preprocess;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an encoder does with a category it did not see in training. */
public enum UnseenPolicy {
    /** Reject the input: the field is reported as an error. */
    @JsonProperty("error") ERROR,
    /** Encode as missing: all one-hot columns 0, or NaN for ordinal. */
    @JsonProperty("ignore") IGNORE,
    /** Encode as the extra "other" bucket: the {@code column=__other__} one-hot column, or ordinal {@code categories.size()}. */
    @JsonProperty("other") OTHER
}

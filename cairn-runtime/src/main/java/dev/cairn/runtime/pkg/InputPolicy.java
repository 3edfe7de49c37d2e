package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What validation does with a value of the right type that the signature does not expect: a
 * category outside a field's domain, or a number outside its range. Refusing is the default for
 * both, as TFDV flags such values as anomalies; a model whose signature was inferred from its
 * training rows records the observed ranges and warns on them instead, since the next customer's
 * income may well be above the highest one training saw.
 */
public record InputPolicy(UnseenCategory unseenCategory, OutOfRange outOfRange) {

    public static final InputPolicy REFUSE_ALL = new InputPolicy(UnseenCategory.REFUSE, OutOfRange.REFUSE);

    public InputPolicy {
        if (unseenCategory == null) unseenCategory = UnseenCategory.REFUSE;
        if (outOfRange == null) outOfRange = OutOfRange.REFUSE;
    }

    /** A category outside the field's domain. */
    public enum UnseenCategory {
        /** Refused: the request gets a 400 naming the field and the domain. */
        @JsonProperty("refuse") REFUSE,
        /** Encoded as unknown, by the preprocessing's unseen-category policy (all one-hot columns 0, or the "other" bucket). */
        @JsonProperty("unknown") UNKNOWN
    }

    /** A number outside the field's [min, max]. */
    public enum OutOfRange {
        /** Refused: the request gets a 400 naming the field and the range. */
        @JsonProperty("refuse") REFUSE,
        /** Scored as it is, and reported in the prediction's warnings. */
        @JsonProperty("warn") WARN
    }
}

package dev.cairn.runtime.preprocess;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One fitted preprocessing step, as data: the values a trainer fitted are inside, and the runtime
 * only applies them. Steps of one column apply in the order listed; a categorical encoder
 * ({@link OneHot} or {@link Ordinal}) must be the last step of its column.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PreprocessingStep.Impute.class, name = "impute"),
        @JsonSubTypes.Type(value = PreprocessingStep.OneHot.class, name = "one_hot"),
        @JsonSubTypes.Type(value = PreprocessingStep.Ordinal.class, name = "ordinal"),
        @JsonSubTypes.Type(value = PreprocessingStep.StandardScale.class, name = "standard_scale"),
        @JsonSubTypes.Type(value = PreprocessingStep.Bucketize.class, name = "bucketize")
})
public sealed interface PreprocessingStep {

    /** The input column the step reads and rewrites. */
    String column();

    /** The one-hot feature name of a category: {@code column=category}. */
    static String oneHotName(String column, String category) {
        return column + "=" + category;
    }

    /** The name of the one-hot "other" bucket. */
    String OTHER_CATEGORY = "__other__";

    /**
     * Replaces a missing value by {@code value}, fitted with {@code strategy} ({@code mean},
     * {@code median}, {@code most_frequent} or {@code constant}): a number for numeric columns, a
     * string for categorical ones.
     */
    record Impute(String column, String strategy, Object value) implements PreprocessingStep {
    }

    /** One 0/1 feature per category, named {@code column=category}, plus {@code column=__other__} under {@link UnseenPolicy#OTHER}. */
    record OneHot(String column, List<String> categories, UnseenPolicy unseen) implements PreprocessingStep {
        public OneHot {
            categories = List.copyOf(categories);
            if (unseen == null) unseen = UnseenPolicy.ERROR;
        }
    }

    /** The category's index in {@code categories} as one feature named after the column. */
    record Ordinal(String column, List<String> categories, UnseenPolicy unseen) implements PreprocessingStep {
        public Ordinal {
            categories = List.copyOf(categories);
            if (unseen == null) unseen = UnseenPolicy.ERROR;
        }
    }

    /** {@code (x - mean) / std}; a zero std only centres. */
    record StandardScale(String column, double mean, double std) implements PreprocessingStep {
    }

    /**
     * The number of {@code boundaries} (sorted ascending) that are {@code <= x}: bucket 0 is below
     * the first boundary, bucket {@code boundaries.size()} at or above the last.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bucketize(String column, List<Double> boundaries) implements PreprocessingStep {
        public Bucketize {
            boundaries = List.copyOf(boundaries);
        }
    }
}

package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.train.SplitSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code train} and {@code tune} steps share: the inputs {@code cairn train} and {@code cairn tune} share. */
final class TrainingInputs {
    private TrainingInputs() {}

    static List<String> drop(StepContext context) {
        return context.list("drop");
    }

    static String task(StepContext context) {
        return context.optionalText("task").orElse(null);
    }

    static String positiveClass(StepContext context) {
        return context.optionalText("positive_class").orElse(null);
    }

    static String experiment(StepContext context) {
        return context.optionalText("experiment").orElse(null);
    }

    /** The split, its fraction read from {@code fractionKey} ({@code validation_fraction} or {@code test_fraction}). */
    static SplitSpec split(StepContext context, String fractionKey) {
        String strategy = context.optionalText("split").orElse("auto");
        double fraction = context.number(fractionKey).orElse(0.2);
        String timeColumn = context.optionalText("time_column").orElse(null);
        return Fields.naming(context, "split", () -> new SplitSpec(strategy, fraction, timeColumn));
    }

    /** The reviewed schema file, recorded as an input of the step; null when the step names none. */
    static Path schema(StepContext context) {
        if (!context.has("schema")) return null;
        Path schema = context.file("schema");
        context.consumed("file", schema.toUri().toString(), Sha256.of(schema, context.field("schema")));
        return schema;
    }

    /**
     * The signature's policy for unseen categories and out-of-range numbers, or null for the default. The defaults
     * are {@code cairn train}'s: refuse unseen categories; refuse out-of-range numbers under a reviewed schema and
     * warn on them without one.
     */
    static InputPolicy inputPolicy(StepContext context, boolean reviewedSchema) {
        if (!context.has("unseen_categories") && !context.has("out_of_range")) return null;
        String unseen = context.optionalText("unseen_categories").orElse("refuse").strip().toLowerCase(Locale.ROOT);
        String range = context.optionalText("out_of_range").orElse(reviewedSchema ? "refuse" : "warn").strip().toLowerCase(Locale.ROOT);
        InputPolicy.UnseenCategory unseenCategory = switch (unseen) {
            case "refuse" -> InputPolicy.UnseenCategory.REFUSE;
            case "unknown" -> InputPolicy.UnseenCategory.UNKNOWN;
            default -> throw CairnException.invalid(context.field("unseen_categories"), unseen, "refuse or unknown");
        };
        InputPolicy.OutOfRange outOfRange = switch (range) {
            case "refuse" -> InputPolicy.OutOfRange.REFUSE;
            case "warn" -> InputPolicy.OutOfRange.WARN;
            default -> throw CairnException.invalid(context.field("out_of_range"), range, "refuse or warn");
        };
        return new InputPolicy(unseenCategory, outOfRange);
    }

    /** The tags of the training or tuning run: the pipeline run and step (see {@link StepRuns#tags}) and the data. */
    static Map<String, String> tags(StepContext context) {
        Map<String, String> tags = new LinkedHashMap<>(StepRuns.tags(context));
        tags.put(StepRuns.TAG_DATA, context.text("data"));
        return tags;
    }

    /**
     * The tags of a run on a feature service's training set: the pipeline run and step, the training set's snapshot as
     * the data, and the service and views at their versions.
     */
    static Map<String, String> tags(StepContext context, FeatureInputs.Built built) {
        if (built == null) return tags(context);
        Map<String, String> tags = new LinkedHashMap<>(StepRuns.tags(context));
        tags.put(StepRuns.TAG_DATA, built.snapshotUri());
        tags.putAll(built.training().tags());
        return tags;
    }

    /** The columns not to train on: those the step names, and with a feature service the join keys and the time too. */
    static List<String> drop(StepContext context, FeatureInputs.Built built) {
        return built == null ? drop(context) : built.training().drop(drop(context));
    }

    /** The data to train on: the step's data, or the feature service's training set built for its entity rows. */
    static Path data(StepContext context, FeatureInputs.Built built) {
        return built == null ? context.dataFile("data") : built.file();
    }

    /** The training set of the step's feature service, or null when it trains on data. */
    static FeatureInputs.Built features(StepContext context) {
        return context.has("feature_service") ? FeatureInputs.build(context) : null;
    }

    /** The seed as the algorithms take it: a non-negative integer. */
    static Long seed(StepContext context) {
        Long seed = context.integer("seed").orElse(null);
        if (seed != null && (seed < 0 || seed > Integer.MAX_VALUE)) {
            throw CairnException.invalid(context.field("seed"), seed, "a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return seed;
    }
}

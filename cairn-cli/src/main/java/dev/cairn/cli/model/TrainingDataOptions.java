package dev.cairn.cli.model;

import dev.cairn.core.error.CairnException;
import dev.cairn.runtime.pkg.InputPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** What {@code cairn train} and {@code cairn tune} share: the data, the label, the task, the schema and where the runs go. */
public final class TrainingDataOptions {

    @Option(names = "--data", paramLabel = "FILE",
            description = "Training data: .csv, .parquet or .jsonl (or --feature-service with --entities).")
    Path data;

    @Option(names = "--label", required = true, paramLabel = "COLUMN", description = "The column to predict.")
    String label;

    @Option(names = "--drop", split = ",", paramLabel = "COLUMN", description = "Columns that are not features, e.g. ids (comma-separated).")
    List<String> drop = new ArrayList<>();

    @Option(names = "--task", paramLabel = "TASK", description = "binary, multiclass or regression (default: inferred from the label).")
    String task;

    @Option(names = "--positive-class", paramLabel = "CLASS", description = "The positive class of a binary label (default: the second in sorted order).")
    String positiveClass;

    @Option(names = "--time-column", paramLabel = "COLUMN", description = "The time column of a time split (not used as a feature).")
    String timeColumn;

    @Option(names = "--schema", paramLabel = "FILE",
            description = "A reviewed data schema (YAML, as `cairn data infer-schema` writes it): the model's signature takes its "
                    + "nullability, ranges and domains, so serving refuses what the schema refuses.")
    Path schema;

    @Option(names = "--unseen-categories", paramLabel = "POLICY",
            description = "refuse or unknown: whether the model refuses a category outside a field's domain (default: refuse) "
                    + "or encodes it as unknown.")
    String unseenCategories;

    @Option(names = "--out-of-range", paramLabel = "POLICY",
            description = "refuse or warn: whether the model refuses a number outside a field's range or scores it with a warning "
                    + "(default: refuse under --schema, warn on the range observed in training without one).")
    String outOfRange;

    /** The signature policy the options ask for, or null for the default. */
    InputPolicy inputPolicy() {
        if (unseenCategories == null && outOfRange == null) return null;
        InputPolicy.UnseenCategory unseen = switch (unseenCategories == null ? "refuse" : unseenCategories.strip().toLowerCase(Locale.ROOT)) {
            case "refuse" -> InputPolicy.UnseenCategory.REFUSE;
            case "unknown" -> InputPolicy.UnseenCategory.UNKNOWN;
            default -> throw CairnException.invalid("unseen-categories", unseenCategories, "refuse or unknown");
        };
        String rangeDefault = schema != null ? "refuse" : "warn";
        InputPolicy.OutOfRange range = switch (outOfRange == null ? rangeDefault : outOfRange.strip().toLowerCase(Locale.ROOT)) {
            case "refuse" -> InputPolicy.OutOfRange.REFUSE;
            case "warn" -> InputPolicy.OutOfRange.WARN;
            default -> throw CairnException.invalid("out-of-range", outOfRange, "refuse or warn");
        };
        return new InputPolicy(unseen, range);
    }

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment name (default: Default).")
    String experiment;

    @Option(names = "--run-name", paramLabel = "NAME", description = "Run name (default: made up by the store).")
    String runName;
}

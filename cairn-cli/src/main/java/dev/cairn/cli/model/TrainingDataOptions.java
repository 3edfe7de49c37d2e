package dev.cairn.cli.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What {@code cairn train} and {@code cairn tune} share: the data, the label, the task, the schema and where the runs go. */
public final class TrainingDataOptions {

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data: .csv, .parquet or .jsonl.")
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

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment name (default: Default).")
    String experiment;

    @Option(names = "--run-name", paramLabel = "NAME", description = "Run name (default: made up by the store).")
    String runName;
}

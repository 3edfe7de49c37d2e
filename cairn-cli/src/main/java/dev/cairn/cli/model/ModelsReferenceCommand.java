package dev.cairn.cli.model;

import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.evaluation.ModelSource;
import dev.cairn.train.run.ReferenceData;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn models reference models:/credit-risk/3 --data train.csv [--label class]}: gives a
 * model version without a monitoring reference (trained before references were stored, or
 * imported) one, from the data it was trained on.
 */
@Command(name = "reference", mixinStandardHelpOptions = true,
        description = "Store a model's monitoring reference (the data's profile and, with --label, the model's scores on it) in its run.")
public final class ModelsReferenceCommand implements Callable<Integer> {

    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "MODEL", description = "models:/name/version, models:/name@alias or runs:/<run-id>/model.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The reference data (the training data): .csv, .parquet or .jsonl.")
    Path data;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column: stores the model's scores on the rows with their labels too.")
    String label;

    @Option(names = "--replace", description = "Overwrite a reference the run already has.")
    boolean replace;

    @Override
    public Integer call() {
        try (MetadataStore metadata = store.open()) {
            Tracking tracking = Tracking.of(metadata);
            String runId = ReferenceData.recordFor(ModelSource.open(model, tracking), tracking, data, label, replace);
            System.out.println("Stored the reference for " + model + " in run " + runId + ": " + ReferenceData.PROFILE
                    + (label == null ? "" : " and " + ReferenceData.PREDICTIONS));
            return 0;
        }
    }
}

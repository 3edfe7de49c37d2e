package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.data.SourceOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.SplitSpec;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn train --data credit-g.csv --label class --drop customer_id --algorithm xgboost
 * --param max_depth=4}: one tracked training run whose model package is the run's {@code model/}. With
 * {@code --feature-service S --entities labels.csv} it trains on the service's point-in-time training set instead,
 * and the run records the service and views it was trained on.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (xgboost, logistic_regression, linear_regression, baseline) as a tracked run.")
public final class TrainCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;
    @Mixin TrainingDataOptions training;
    @Mixin FeatureServiceOptions featureService;
    @Mixin SourceOptions entityRows;
    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--algorithm", defaultValue = "xgboost", paramLabel = "NAME",
            description = "xgboost, logistic_regression, linear_regression or baseline (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = {"--param", "-p"}, paramLabel = "KEY=VALUE", description = "An algorithm parameter, e.g. max_depth=4 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--split", defaultValue = "auto", paramLabel = "STRATEGY",
            description = "auto, stratified, random or time (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "FRACTION",
            description = "Share of rows for validation and early stopping (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Override
    public Integer call() {
        try (MetadataStore s = store.open()) {
            FeatureServiceOptions.TrainingData data = build(s);
            TrainSpec spec = new TrainSpec(data.path(), training.label, data.drop(training.drop), algorithm, params, training.task,
                    training.positiveClass, new SplitSpec(split, validationFraction, training.timeColumn), training.experiment,
                    training.runName, data.tags(), training.schema, training.inputPolicy(), data.inputs());
            TrainResult result = Training.train(spec, Tracking.of(s));
            if (output.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("run_id", result.runId());
                if (data.features() != null) out.put("training_set", FeatureServiceOptions.json(data));
                out.put("experiment_id", result.experimentId());
                out.put("model_uri", result.modelUri());
                out.put("model_sha256", result.modelSha256());
                out.put("metrics", result.metrics());
                output.printJson(System.out, out);
            } else {
                if (data.features() != null) System.out.println(FeatureServiceOptions.describe(data));
                System.out.println("Run " + result.runId() + " finished; model at " + result.modelUri());
                ModelOutput.printMetrics(result.metrics());
            }
            return 0;
        }
    }

    /** The data to train on: {@code --data}, or the feature service's training set (built with a progress bar). */
    private FeatureServiceOptions.TrainingData build(MetadataStore s) {
        return featureService.resolve(training.data, s, entityRows, commandSpec.commandLine().getErr());
    }
}

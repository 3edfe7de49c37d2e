package dev.cairn.cli.features;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.data.EngineOptions;
import dev.cairn.cli.data.ProgressBar;
import dev.cairn.cli.data.SourceOptions;
import dev.cairn.cli.data.SparkData;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.features.offline.TrainingSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn features training-set}: a feature service's features joined to entity rows as of each row's time. */
@Command(name = "training-set", mixinStandardHelpOptions = true,
        description = "Build a point-in-time correct training set: every entity row (join keys and a time, e.g. a label table) with "
                + "the service's features as of that time, never later. Written as Parquet; its SHA-256 is printed.")
public final class FeaturesTrainingSetCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin Output output;
    @Mixin SourceOptions source;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--service", required = true, paramLabel = "S", description = "The feature service.")
    String service;

    @Option(names = "--entities", required = true, paramLabel = "FILE|JDBC_URL",
            description = "The entity rows: a CSV, Parquet or JSON-lines file, or a JDBC URL with --table or --query.")
    String entities;

    @Option(names = "--timestamp-column", defaultValue = "event_timestamp", paramLabel = "C",
            description = "The entity rows' time column (default: ${DEFAULT-VALUE}).")
    String timestampColumn;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.parquet",
            description = "Where to write the training set (with --engine spark: a Parquet directory).")
    Path outputFile;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() {
        try (MetadataStore metadata = store.open()) {
            TrainingSet set;
            if (engine.spark()) {
                set = SparkData.trainingSet(engine, FeatureStores.of(metadata), service, entities, timestampColumn, outputFile.toString());
            } else {
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr());
                try {
                    set = FeatureStores.of(metadata).trainingSet(service, source.source(entities), timestampColumn, outputFile, bar);
                } finally {
                    bar.finish();
                }
            }
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("service", set.service());
                json.put("path", set.path().toString());
                json.put("sha256", set.sha256());
                json.put("rows", set.rows());
                json.put("features", set.features());
                json.put("versions", set.versions());
                output.printJson(System.out, json);
                return 0;
            }
            System.out.printf("Training set of %s: %,d rows, %d features -> %s%n", set.service(), set.rows(), set.features().size(), set.path());
            System.out.println("SHA-256:     " + set.sha256());
            System.out.println("Features:    " + String.join(", ", set.features()));
            System.out.println("Definitions: " + set.versions().entrySet().stream().map(e -> e.getKey() + " v" + e.getValue())
                    .collect(Collectors.joining(", ")));
            return 0;
        }
    }
}

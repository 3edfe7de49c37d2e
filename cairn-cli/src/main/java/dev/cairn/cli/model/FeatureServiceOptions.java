package dev.cairn.cli.model;

import dev.cairn.cli.data.ProgressBar;
import dev.cairn.cli.data.SourceOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.offline.FeatureTraining;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.store.CairnHome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * What {@code cairn train} and {@code cairn tune} take to train on a feature service instead of a data file: the
 * service, the entity rows (read with the {@code --table}/{@code --query}/CSV options of {@link SourceOptions}) and
 * their time column, and where the training set is kept. The set is built by the feature store
 * ({@link FeatureStore#forTraining}), the one implementation the pipeline steps use too.
 */
public final class FeatureServiceOptions {

    @Option(names = "--feature-service", paramLabel = "S",
            description = "Train on this feature service's point-in-time training set for --entities, instead of --data.")
    String service;

    @Option(names = "--entities", paramLabel = "FILE|JDBC_URL",
            description = "With --feature-service: the entity rows (join keys, time and label), a CSV, Parquet or JSON-lines file, "
                    + "or a JDBC URL with --table or --query.")
    String entities;

    @Option(names = "--timestamp-column", defaultValue = "event_timestamp", paramLabel = "C",
            description = "With --feature-service: the entity rows' time; every feature is as of it (default: ${DEFAULT-VALUE}).")
    String timestampColumn;

    @Option(names = "--training-set", paramLabel = "FILE.parquet",
            description = "With --feature-service: where to keep the training set, which the run records as its dataset "
                    + "(default: $CAIRN_HOME/training-sets/SERVICE-SHA256.parquet).")
    Path trainingSet;

    /** The data a command trains on: a file as given, or a feature service's training set with what the run records. */
    public record TrainingData(Path path, FeatureTraining features) {
        public List<String> drop(List<String> given) {
            return features == null ? given : features.drop(given);
        }

        public Map<String, String> tags() {
            return features == null ? Map.of() : features.tags();
        }

        public List<DatasetInput> inputs() {
            return features == null ? List.of() : features.inputs();
        }
    }

    /**
     * {@code --data}, or the training set of {@code --feature-service} built for {@code --entities}: exactly one of the
     * two. A built set without {@code --training-set} is kept under {@code $CAIRN_HOME/training-sets}, named by its
     * content, so a later {@code cairn reproduce} finds it.
     */
    TrainingData resolve(Path data, MetadataStore metadata, SourceOptions source, PrintWriter err) {
        ProgressBar bar = new ProgressBar(err);
        try {
            return build(data, metadata, source, bar);
        } finally {
            bar.finish();
        }
    }

    private TrainingData build(Path data, MetadataStore metadata, SourceOptions source, Progress progress) {
        if (service == null) {
            if (entities != null) throw CairnException.invalid("--entities", entities, "--feature-service too (or --data alone)");
            if (data == null) throw CairnException.invalid("--data", null, "a data file, or --feature-service with --entities");
            return new TrainingData(data, null);
        }
        if (data != null) throw CairnException.invalid("--data", data.toString(), "no --data with --feature-service (the training set is the data)");
        if (entities == null) {
            throw CairnException.invalid("--entities", null, "the entity rows of --feature-service " + service
                    + ": a file or a JDBC URL with their join keys, time and label");
        }
        FeatureStore store = new FeatureStore(metadata.features(), FeatureStore.unconfined(), System::getenv);
        Path target = trainingSet;
        Path building = target;
        if (target == null) {
            Path directory = CairnHome.home().resolve("training-sets");
            building = directory.resolve("." + service + "-" + UUID.randomUUID() + ".parquet");
        }
        FeatureTraining features = store.forTraining(service, source.source(entities), timestampColumn, building, progress);
        if (target == null) features = keepByContent(features, building);
        return new TrainingData(features.set().path(), features);
    }

    /** Renames a set built under a temporary name to {@code SERVICE-SHA256.parquet} (the same content is kept once). */
    private static FeatureTraining keepByContent(FeatureTraining features, Path built) {
        Path named = built.resolveSibling(features.set().service() + "-" + features.set().sha256() + ".parquet");
        try {
            if (Files.exists(named)) Files.delete(built);
            else Files.move(built, named, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw CairnException.invalid("--training-set", built.toString(), "a writable directory (" + e.getMessage() + ")");
        }
        var set = features.set();
        return new FeatureTraining(new TrainingSet(set.service(), named, set.sha256(), set.rows(), set.features(),
                set.versions()), features.notFeatures(), features.tags(), features.inputs(), features.used());
    }

    /** What the command prints about the training set, in its JSON output. */
    static Map<String, Object> json(TrainingData data) {
        if (data.features() == null) return null;
        var set = data.features().set();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("service", set.service());
        out.put("path", set.path().toString());
        out.put("sha256", set.sha256());
        out.put("rows", set.rows());
        out.put("features", set.features());
        out.put("versions", set.versions());
        return out;
    }

    /** One line for people: the set, its rows and the views at their versions. */
    static String describe(TrainingData data) {
        var set = data.features().set();
        return "Training set of " + set.service() + ": " + set.rows() + " rows, " + set.features().size() + " features ("
                + set.versions().entrySet().stream().map(e -> e.getKey() + " v" + e.getValue()).collect(Collectors.joining(", "))
                + ") -> " + set.path() + " (SHA-256 " + set.sha256() + ")";
    }
}

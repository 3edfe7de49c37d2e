package dev.cairn.train.evaluation;

import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.util.List;

/**
 * Credit-g split once into train/test files, with three small models trained on the training part
 * (XGBoost with few rounds, logistic regression, and the majority-class baseline), in a real SQLite
 * store and local artifact root.
 */
final class CreditFixture implements AutoCloseable {
    static final Path CREDIT = Path.of("../examples/credit-risk/credit-g.csv").toAbsolutePath().normalize();

    final MetadataStore store;
    final Tracking tracking;
    final Holdout.Parts files;
    final TrainResult xgboost;
    final TrainResult logistic;
    final TrainResult baseline;

    CreditFixture(Path dir) {
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        tracking = Tracking.of(store);
        files = Holdout.split(CREDIT, "class", 0.3, 7, dir.resolve("data"));
        xgboost = Training.train(spec("xgboost").withParam("num_boost_round", 25).withParam("max_depth", 3), tracking);
        logistic = Training.train(spec("logistic_regression"), tracking);
        baseline = Training.train(spec("baseline"), tracking);
    }

    private TrainSpec spec(String algorithm) {
        return TrainSpec.of(files.train(), "class").withDrop(List.of("customer_id")).withAlgorithm(algorithm).withExperiment("credit-risk");
    }

    /** Registers the run's model as the next version of {@code name}, without an alias. */
    ModelVersion register(String name, TrainResult result) {
        return Training.register(tracking, result.runId(), name, null);
    }

    @Override
    public void close() {
        store.close();
    }
}

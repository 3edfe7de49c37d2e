package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.train.reproduce.Difference;
import dev.cairn.train.reproduce.ReproductionReport;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducerTest {
    @TempDir
    Path dir;
    MetadataStore store;
    Tracking tracking;

    @BeforeEach
    void open() {
        store = TestStores.open(dir);
        tracking = TestStores.tracking(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TrainResult train(Path data, String algorithm) {
        TrainSpec spec = TrainSpec.of(data, "class").withDrop(List.of("customer_id")).withAlgorithm(algorithm);
        if (algorithm.equals("xgboost")) spec = spec.withParam("subsample", 0.8).withParam("num_boost_round", 25);
        return Training.train(spec, tracking);
    }

    @Test
    @DisplayName("retraining a recorded XGBoost run gives a byte-identical model file")
    void xgboostReproducesExactly() {
        TrainResult trained = train(TestStores.CREDIT, "xgboost");
        ReproductionReport report = Training.reproduce(trained.runId(), tracking);
        assertThat(report.identical()).as(report.summary()).isTrue();
        assertThat(report.differences()).isEmpty();
        assertThat(report.reproducedSha256()).isEqualTo(trained.modelSha256()).isEqualTo(report.recordedSha256());
    }

    @Test
    @DisplayName("logistic regression and the baseline reproduce exactly too")
    void linearAndBaselineReproduce() {
        for (String algorithm : List.of("logistic_regression", "baseline")) {
            ReproductionReport report = Training.reproduce(train(TestStores.CREDIT, algorithm).runId(), tracking);
            assertThat(report.identical()).as(algorithm + ": " + report.summary()).isTrue();
        }
    }

    @Test
    @DisplayName("changed data is reported as a different fingerprint and a different model")
    void changedDataIsNamed() throws IOException {
        Path copy = dir.resolve("credit-copy.csv");
        Files.copy(TestStores.CREDIT, copy);
        TrainResult trained = train(copy, "xgboost");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(copy));
        for (int i = 1; i < 200; i++) lines.set(i, lines.get(i).replace(",good", ",bad"));
        Files.write(copy, lines);

        ReproductionReport report = Training.reproduce(trained.runId(), tracking);
        assertThat(report.identical()).isFalse();
        assertThat(report.differences()).extracting(Difference::kind).contains("data", "model");
        assertThat(report.summary()).contains("did not reproduce").contains("data");
    }

    @Test
    @DisplayName("other data (different SHA-256) is a failed reproduction even when the retrained model file comes out byte-identical")
    void differentDataFailsEvenWithTheSameModel() throws IOException {
        TrainResult trained = train(TestStores.CREDIT, "xgboost");
        // The same rows with Unix line endings instead of CRLF: other bytes, the same parsed data, so the same model.
        Path other = dir.resolve("credit-unix-line-endings.csv");
        String csv = Files.readString(TestStores.CREDIT);
        assertThat(csv).contains("\r\n");
        Files.writeString(other, csv.replace("\r\n", "\n"));
        assertThat(dev.cairn.train.data.Fingerprint.sha256(other)).isNotEqualTo(dev.cairn.train.data.Fingerprint.sha256(TestStores.CREDIT));

        ReproductionReport report = Training.reproduce(trained.runId(), other, tracking);
        assertThat(report.modelIdentical()).as("the model itself comes out the same: " + report.summary()).isTrue();
        assertThat(report.identical()).isFalse();
        assertThat(report.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("data");
            assertThat(d.failsReproduction()).isTrue();
        });
        assertThat(report.summary()).contains("did not reproduce", "data", "byte-identical", "different inputs").doesNotStartWith("Reproduced");
    }

    @Test
    @DisplayName("a recorded library version that differs from this one is named")
    void libraryVersionIsNamed() {
        TrainResult trained = train(TestStores.CREDIT, "xgboost");
        store.runs().setTag(trained.runId(), new Tag("cairn.lib.xgboost4j", "2.1.0"));
        ReproductionReport report = Training.reproduce(trained.runId(), tracking);
        assertThat(report.differences()).contains(new Difference("library", "xgboost4j", "2.1.0", "3.0.4"));
        assertThat(report.identical()).isTrue();
    }

    @Test
    @DisplayName("a parameter the run did not record, which this version knows, is named with the default now used")
    void missingParameterIsNamed() throws IOException {
        TrainResult trained = train(TestStores.CREDIT, "xgboost");
        Run original = store.runs().getRun(trained.runId());
        // A run recorded by an older Cairn that did not know max_bin yet: same data, same package.
        String experimentId = original.info().experimentId();
        Run older = store.runs().createRun(experimentId, "me", System.currentTimeMillis(), "older", List.of());
        store.runs().logBatch(older.info().runId(), List.of(),
                original.data().params().stream().filter(p -> !p.key().equals("max_bin")).toList(), List.of());
        store.runs().logInputs(older.info().runId(), original.inputs());
        ArtifactRepository from = store.runArtifacts(original.info());
        ArtifactRepository to = store.runArtifacts(store.runs().getRun(older.info().runId()).info());
        for (String file : List.of("model/model.ubj", "model/model.yaml")) {
            try (InputStream in = from.open(file)) {
                to.put(file, in);
            }
        }
        ReproductionReport report = Training.reproduce(older.info().runId(), tracking);
        assertThat(report.differences()).containsExactly(new Difference("parameter", "max_bin", "absent", "default 256"));
        assertThat(report.identical()).isTrue();
    }

    @Test
    @DisplayName("a run that trained nothing cannot be reproduced, with a clear error")
    void notATrainingRun() {
        String experimentId = tracking.experimentId("other");
        String runId = store.runs().createRun(experimentId, "me", System.currentTimeMillis(), "empty", List.of()).info().runId();
        assertThatThrownBy(() -> Training.reproduce(runId, tracking)).isInstanceOf(CairnException.class)
                .hasMessageContaining("run_id").hasMessageContaining("trained a model");
    }
}

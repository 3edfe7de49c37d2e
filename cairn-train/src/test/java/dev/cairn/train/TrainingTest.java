package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.drift.ReconstructionModel;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.evaluation.ModelSource;
import dev.cairn.train.run.ReferenceData;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
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

    private TrainSpec credit(String algorithm) {
        return TrainSpec.of(TestStores.CREDIT, "class").withDrop(List.of("customer_id")).withAlgorithm(algorithm)
                .withExperiment("credit-risk");
    }

    @Test
    @DisplayName("an XGBoost training is a finished run with every parameter, per-round losses, metrics, the dataset and the package")
    void xgboostTrainingIsTracked() throws IOException {
        TrainResult result = Training.train(credit("xgboost").withParam("max_depth", 3).withParam("num_boost_round", 40)
                .withParam("eta", 0.1), tracking);

        Run run = store.runs().getRun(result.runId());
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        Map<String, String> params = TestStores.params(run);
        assertThat(params).containsEntry("max_depth", "3").containsEntry("num_boost_round", "40")
                .containsEntry("subsample", "1.0").containsEntry("early_stopping_rounds", "10").containsEntry("seed", "42")
                .containsEntry("algorithm", "xgboost").containsEntry("label", "class").containsEntry("split", "stratified")
                .containsEntry("drop_columns", "customer_id").containsEntry("positive_class", "good");
        Map<String, String> tags = TestStores.tags(run);
        assertThat(tags).containsKeys(SystemTags.USER, SystemTags.SOURCE_NAME, SystemTags.JDK, SystemTags.OS, SystemTags.HOST)
                .containsEntry("cairn.lib.xgboost4j", "3.0.4").containsEntry("cairn.model.sha256", result.modelSha256());

        List<Metric> history = store.runs().getMetricHistory(result.runId(), "validation_logloss");
        assertThat(history).hasSizeGreaterThan(5);
        assertThat(history.stream().map(Metric::step).toList()).startsWith(0L, 1L, 2L);
        assertThat(store.runs().getMetricHistory(result.runId(), "train_logloss")).hasSameSizeAs(history);
        assertThat(result.metrics().get("roc_auc")).isGreaterThan(0.7);
        assertThat(store.runs().getMetricHistory(result.runId(), "roc_auc")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(result.metrics().get("roc_auc")));

        assertThat(run.inputs()).singleElement().satisfies(input -> {
            assertThat(Fingerprint.sha256(TestStores.CREDIT)).startsWith(input.dataset().digest());
            assertThat(input.tags()).anyMatch(t -> t.key().equals("cairn.data.sha256") && t.value().equals(Fingerprint.sha256(TestStores.CREDIT)));
            assertThat(input.tags()).anyMatch(t -> t.key().equals(SystemTags.DATASET_CONTEXT) && t.value().equals("training"));
        });

        ArtifactRepository artifacts = store.runArtifacts(run.info());
        assertThat(artifacts.exists("model/model.yaml")).isTrue();
        assertThat(artifacts.stat("model/model.ubj").sha256()).isEqualTo(result.modelSha256());
        assertThat(result.modelUri()).isEqualTo("runs:/" + result.runId() + "/model");
    }

    @Test
    @DisplayName("a training stores monitoring's reference beside the model: the data's profile and the validation rows' scores with their labels")
    void referenceForMonitoring() throws IOException {
        TrainResult result = Training.train(credit("xgboost").withParam("num_boost_round", 10), tracking);
        Run run = store.runs().getRun(result.runId());
        assertThat(TestStores.tags(run)).containsEntry(dev.cairn.train.run.ReferenceData.TAG, "reference/");
        ArtifactRepository artifacts = store.runArtifacts(run.info());

        String json;
        try (InputStream in = artifacts.open(dev.cairn.train.run.ReferenceData.PROFILE)) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        dev.cairn.data.profile.DatasetProfile profile = dev.cairn.data.profile.ProfileJson.read(json);
        assertThat(profile.rowCount()).isEqualTo(1000);
        assertThat(json).contains("credit_amount").contains("foreign_worker");

        List<String> lines;
        try (InputStream in = artifacts.open(dev.cairn.train.run.ReferenceData.PREDICTIONS)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.getFirst()).isEqualTo("label,score");
        assertThat(lines).hasSize(1 + 200);   // the 20% validation split of 1,000 customers
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
            String[] cells = line.split(",");
            assertThat(cells[0]).isIn("good", "bad");
            assertThat(Double.parseDouble(cells[1])).isBetween(0.0, 1.0);
        });

        // The multivariate reference: fitted on the model's inputs, not the label or a dropped column.
        assertThat(TestStores.tags(run)).containsEntry(ReferenceData.MULTIVARIATE_TAG, ReferenceData.MULTIVARIATE);
        ReconstructionModel multivariate = multivariate(artifacts);
        assertThat(multivariate.featureNames()).isEqualTo(result.model().signature().inputNames())
                .contains("credit_amount", "foreign_worker").doesNotContain("class", "customer_id");
        assertThat(multivariate.referenceRows()).isEqualTo(1000);
        assertThat(multivariate.chunkSize()).isEqualTo(100);
        assertThat(multivariate.upperThreshold()).isGreaterThan(multivariate.referenceMeanError());
        assertThat(multivariate.explainedVariance()).isGreaterThanOrEqualTo(ReconstructionDrift.VARIANCE_KEPT);

        // `cairn models reference --replace` fits it again from the package's signature inputs.
        artifacts.delete(ReferenceData.MULTIVARIATE);
        ReferenceData.recordFor(ModelSource.open(result.modelUri(), tracking), tracking, TestStores.CREDIT, null, true);
        assertThat(multivariate(artifacts)).isEqualTo(multivariate);
    }

    private static ReconstructionModel multivariate(ArtifactRepository artifacts) throws IOException {
        try (InputStream in = artifacts.open(ReferenceData.MULTIVARIATE)) {
            return ReconstructionModel.fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("a model whose inputs cannot give a multivariate reference (a single feature) trains, without one, and the run says why")
    void singleInputHasNoMultivariateReference() throws IOException {
        Path csv = dir.resolve("single.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) sb.append(i % 13).append(',').append(i % 13 < 6 ? "yes" : "no").append('\n');
        Files.writeString(csv, sb.toString());
        TrainResult result = Training.train(TrainSpec.of(csv, "y").withAlgorithm("logistic_regression"), tracking);
        Run run = store.runs().getRun(result.runId());
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        ArtifactRepository artifacts = store.runArtifacts(run.info());
        assertThat(artifacts.exists(ReferenceData.PROFILE)).isTrue();
        assertThat(artifacts.exists(ReferenceData.MULTIVARIATE)).isFalse();
        assertThat(TestStores.tags(run)).containsEntry(ReferenceData.TAG, "reference/")
                .hasEntrySatisfying(ReferenceData.MULTIVARIATE_TAG, why -> assertThat(why).startsWith("none: ").contains("at least 2 features"));
    }

    @Test
    @DisplayName("the uploaded package loads in the runtime and predicts what training evaluated")
    void packageServesTheTrainedModel() throws IOException {
        TrainResult result = Training.train(credit("xgboost").withParam("num_boost_round", 20), tracking);
        Path local = download(result.runId());
        Frame data = FrameReader.read(TestStores.CREDIT);
        Frame features = data.drop(List.of("class", "customer_id"));
        double[][] expected = result.model().predict(features.select(new int[] {0, 1, 2}));
        try (Model model = Models.load(local)) {
            assertThat(model.manifest().provenance().dataSha256()).isEqualTo(Fingerprint.sha256(TestStores.CREDIT));
            assertThat(model.manifest().provenance().parameters()).containsKeys("max_depth", "eta", "seed", "label");
            assertThat(model.signature().output().classes()).containsExactly("bad", "good");
            for (int i = 0; i < 3; i++) {
                Prediction p = model.predict(features.row(i));
                assertThat(p.probability("good")).isCloseTo(expected[i][0], within(1e-6));
            }
        }
    }

    @Test
    @DisplayName("logistic regression scales and imputes numbers, and serves the same scores from its package")
    void logisticRegression() throws IOException {
        TrainResult result = Training.train(credit("logistic_regression").withParam("class_weight", "balanced"), tracking);
        assertThat(result.metrics().get("roc_auc")).isGreaterThan(0.7);
        try (Model model = Models.load(download(result.runId()))) {
            assertThat(model.manifest().preprocessing().steps()).anyMatch(s -> s instanceof dev.cairn.runtime.preprocess.PreprocessingStep.StandardScale);
            assertThat(model.manifest().model()).isInstanceOfSatisfying(dev.cairn.runtime.pkg.ModelBody.Linear.class,
                    linear -> assertThat(linear.coefficients().getFirst()).hasSize(model.manifest().preprocessing().features().size()));
            Frame features = FrameReader.read(TestStores.CREDIT).drop(List.of("class", "customer_id"));
            assertThat(model.predict(features.row(5)).probability("good"))
                    .isCloseTo(result.model().predict(features.select(new int[] {5}))[0][0], within(1e-6));
        }
    }

    @Test
    @DisplayName("the baseline predicts the training class frequencies")
    void baseline() throws IOException {
        TrainResult result = Training.train(credit("baseline"), tracking);
        assertThat(result.metrics().get("roc_auc")).isEqualTo(0.5);
        try (Model model = Models.load(download(result.runId()))) {
            Prediction p = model.predict(FrameReader.read(TestStores.CREDIT).drop(List.of("class", "customer_id")).row(0));
            assertThat(p.label()).isEqualTo("good");
            assertThat(p.probability("good")).isCloseTo(0.7, within(1e-9));
        }
    }

    @Test
    @DisplayName("multiclass and regression labels train with their own objectives and metrics")
    void multiclassAndRegression() throws IOException {
        Path csv = dir.resolve("synthetic.csv");
        StringBuilder sb = new StringBuilder("x,colour,kind,amount\n");
        java.util.Random r = new java.util.Random(1);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            double x = r.nextDouble() * 10;
            String colour = colours[r.nextInt(3)];
            String kind = x < 3 ? "low" : x < 6 ? "mid" : "high";
            double amount = 2 * x + (colour.equals("red") ? 5 : 0) + r.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%s,%s,%.4f%n", x, colour, kind, amount));
        }
        Files.writeString(csv, sb.toString());
        TrainResult multi = Training.train(TrainSpec.of(csv, "kind").withDrop(List.of("amount")).withParam("num_boost_round", 30), tracking);
        assertThat(TestStores.params(store.runs().getRun(multi.runId()))).containsEntry("task", "multiclass");
        assertThat(multi.metrics().get("accuracy")).isGreaterThan(0.9);
        assertThat(store.runs().getMetricHistory(multi.runId(), "validation_mlogloss")).isNotEmpty();

        TrainResult regression = Training.train(TrainSpec.of(csv, "amount").withDrop(List.of("kind")).withAlgorithm("linear_regression"), tracking);
        assertThat(TestStores.params(store.runs().getRun(regression.runId()))).containsEntry("split", "random").containsEntry("task", "regression");
        assertThat(regression.metrics().get("r2")).isGreaterThan(0.9);
        assertThat(store.runs().getMetricHistory(regression.runId(), "validation_rmse")).isNotEmpty();
    }

    @Test
    @DisplayName("one thread and a fixed seed give a byte-identical model file on every training")
    void deterministic() {
        TrainSpec spec = credit("xgboost").withParam("subsample", 0.8).withParam("colsample_bytree", 0.7).withParam("num_boost_round", 30);
        TrainResult first = Training.train(spec, tracking);
        TrainResult second = Training.train(spec, tracking);
        assertThat(second.model().modelBytes()).isEqualTo(first.model().modelBytes());
        TrainResult otherSeed = Training.train(spec.withParam("seed", 7), tracking);
        assertThat(otherSeed.modelSha256()).isNotEqualTo(first.modelSha256());
    }

    @Test
    @DisplayName("a time split trains on the earliest rows and validates on the latest")
    void timeSplit() throws IOException {
        Path csv = dir.resolve("timed.csv");
        StringBuilder sb = new StringBuilder("day,x,y\n");
        for (int i = 0; i < 200; i++) sb.append(1000 + i).append(',').append(i % 7).append(',').append(i % 3 == 0 ? "yes" : "no").append('\n');
        Files.writeString(csv, sb.toString());
        TrainResult result = Training.train(TrainSpec.of(csv, "y").withSplit(new SplitSpec("time", 0.25, "day"))
                .withParam("num_boost_round", 5), tracking);
        Map<String, String> params = TestStores.params(store.runs().getRun(result.runId()));
        assertThat(params).containsEntry("split", "time").containsEntry("time_column", "day");
        assertThat(result.model().inputs()).extracting(f -> f.name()).containsExactly("x");
    }

    private Path download(String runId) throws IOException {
        ArtifactRepository artifacts = store.runArtifacts(store.runs().getRun(runId).info());
        Path target = dir.resolve("download-" + runId);
        Files.createDirectories(target);
        for (var info : artifacts.list("model")) {
            try (InputStream in = artifacts.open(info.path())) {
                Files.copy(in, target.resolve(Path.of(info.path()).getFileName().toString()));
            }
        }
        return target;
    }
}

package dev.cairn.train.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad evaluation input is refused with an error naming the column or metric, before any run is recorded. */
class BadInputTest {
    @TempDir
    static Path dir;
    static MetadataStore store;
    static Tracking tracking;
    static String model;
    static Path test;

    @BeforeAll
    static void train() throws IOException {
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        tracking = Tracking.of(store);
        Holdout.Parts files = Holdout.split(CreditFixture.CREDIT, "class", 0.3, 7, dir.resolve("data"));
        test = files.test();
        TrainResult r = Training.train(TrainSpec.of(files.train(), "class").withDrop(List.of("customer_id"))
                .withParam("num_boost_round", 5), tracking);
        model = r.modelUri();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static void refused(EvaluationSpec spec, Consumer<CairnException> check) {
        int runsBefore = runs();
        assertThatThrownBy(() -> Evaluations.evaluate(spec, tracking)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.code().exitCode()).isEqualTo(2);
            check.accept(e);
        });
        assertThat(runs()).as("no evaluation run is left behind").isEqualTo(runsBefore);
    }

    private static int runs() {
        return tracking.experiments().getExperimentByName(EvaluationSpec.DEFAULT_EXPERIMENT)
                .map(e -> store.runs().searchRuns(List.of(e.experimentId()), "", ViewType.ALL, List.of(), 1000, null).items().size())
                .orElse(0);
    }

    private static Path without(String column) throws IOException {
        List<String> lines = Files.readAllLines(test);
        List<String> header = List.of(lines.getFirst().split(","));
        int drop = header.indexOf(column);
        Path out = dir.resolve("without-" + column + ".csv");
        Files.write(out, lines.stream().map(l -> {
            List<String> cells = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(drop);
            return String.join(",", cells);
        }).toList());
        return out;
    }

    @Test
    @DisplayName("evaluation data without the label column is refused naming the label")
    void missingLabel() throws IOException {
        refused(EvaluationSpec.of(model, without("class"), "class"), e -> {
            assertThat(e.details()).containsEntry("field", "label").containsEntry("value", "class");
        });
    }

    @Test
    @DisplayName("evaluation data without a model input is refused naming the input")
    void missingInput() throws IOException {
        refused(EvaluationSpec.of(model, without("duration"), "class"), e -> assertThat(e.getMessage()).contains("duration"));
    }

    @Test
    @DisplayName("a sensitive column that does not exist is refused naming it")
    void unknownSensitiveColumn() {
        refused(EvaluationSpec.of(model, test, "class").withSensitive(List.of("gender")),
                e -> assertThat(e.details()).containsEntry("field", "sensitive").containsEntry("value", "gender"));
    }

    @Test
    @DisplayName("a threshold on an unknown metric is refused naming the metric")
    void unknownMetric() {
        refused(EvaluationSpec.of(model, test, "class").withThresholds(List.of("precison>=0.8")),
                e -> assertThat(e.details()).containsEntry("field", "threshold").containsEntry("value", "precison"));
        refused(EvaluationSpec.of(model, test, "class").withThresholds(List.of("fairness:parity>=0.8")),
                e -> assertThat(e.getMessage()).contains("parity"));
        refused(EvaluationSpec.of(model, test, "class").withBusinessMetric("profit"),
                e -> assertThat(e.details()).containsEntry("field", "business_metric"));
    }

    @Test
    @DisplayName("a positive class the label does not hold and a malformed threshold target are refused")
    void badPositiveClassAndTarget() {
        refused(EvaluationSpec.of(model, test, "class").withPositiveClass("terrible"),
                e -> assertThat(e.details()).containsEntry("field", "positive_class"));
        refused(EvaluationSpec.of(model, test, "class").withThresholdTarget("recall>0.8"),
                e -> assertThat(e.details()).containsEntry("field", "threshold_target"));
    }
}

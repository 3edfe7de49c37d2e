package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends the run FAILED with its reason and throws INVALID_PARAMETER_VALUE naming what was wrong. */
class FailedTrainingTest {
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

    private Run onlyRun() {
        String experimentId = store.experiments().getExperimentByName("failures").orElseThrow().experimentId();
        List<Run> runs = store.runs().searchRuns(List.of(experimentId), null, ViewType.ALL, List.of(), 10, null).items();
        assertThat(runs).hasSize(1);
        return runs.getFirst();
    }

    private void assertFailed(TrainSpec spec, String... messageParts) {
        assertThatThrownBy(() -> Training.train(spec.withExperiment("failures"), tracking))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(messageParts);
                });
        Run run = onlyRun();
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.info().endTime()).isNotNull();
        assertThat(TestStores.tags(run).get(SystemTags.FAILURE_REASON)).contains(messageParts);
    }

    @Test
    @DisplayName("a label column that does not exist fails the run naming it")
    void missingLabel() {
        assertFailed(TrainSpec.of(TestStores.CREDIT, "klass"), "'label'", "klass", "checking_status");
    }

    @Test
    @DisplayName("a label with one class fails the run")
    void oneClassLabel() throws IOException {
        Path csv = dir.resolve("one-class.csv");
        Files.writeString(csv, "x,y\n1,a\n2,a\n3,a\n");
        assertFailed(TrainSpec.of(csv, "y"), "'label'", "at least two classes");
    }

    @Test
    @DisplayName("a label with missing values fails the run")
    void labelWithMissingValues() throws IOException {
        Path csv = dir.resolve("missing.csv");
        Files.writeString(csv, "x,y\n1,a\n2,\n3,b\n4,a\n");
        assertFailed(TrainSpec.of(csv, "y"), "'label'", "without missing values");
    }

    @Test
    @DisplayName("an unknown parameter fails the run naming it")
    void unknownParameter() {
        assertFailed(TrainSpec.of(TestStores.CREDIT, "class").withParam("max_dept", 4), "max_dept", "max_depth");
    }

    @Test
    @DisplayName("a parameter out of range fails the run naming the value and the range")
    void outOfRange() {
        assertFailed(TrainSpec.of(TestStores.CREDIT, "class").withParam("subsample", 0), "'subsample'", "(0, 1]");
    }

    @Test
    @DisplayName("an empty data file fails the run")
    void emptyData() throws IOException {
        Path csv = dir.resolve("empty.csv");
        Files.writeString(csv, "x,y\n");
        assertFailed(TrainSpec.of(csv, "y"), "'data'", "at least one row");
    }

    @Test
    @DisplayName("a CSV with a malformed line fails the run naming the line")
    void malformedCsv() throws IOException {
        Path csv = dir.resolve("malformed.csv");
        Files.writeString(csv, "x,y\n1,a\n2,b,extra,fields\n3,b\n4,a\n");
        assertThatThrownBy(() -> Training.train(TrainSpec.of(csv, "y").withExperiment("failures"), tracking))
                .isInstanceOf(CairnException.class).hasMessageContaining("malformed");
        assertThat(onlyRun().info().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    @DisplayName("a regression algorithm on a class label fails the run naming the algorithm")
    void wrongTask() {
        assertFailed(TrainSpec.of(TestStores.CREDIT, "class").withAlgorithm("linear_regression"), "'algorithm'", "binary");
    }
}

package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input throws INVALID_PARAMETER_VALUE naming what was wrong, and is refused before anything is
 * recorded: no experiment, no FAILED run (validation comes before creation).
 */
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

    /** Refused with INVALID_PARAMETER_VALUE naming what was wrong, before the experiment or a run was created. */
    private void assertRefused(TrainSpec spec, String... messageParts) {
        assertThatThrownBy(() -> Training.train(spec.withExperiment("failures"), tracking))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(messageParts);
                });
        assertThat(TestStores.nothingRecorded(store, "failures")).as("no experiment, no FAILED run").isTrue();
    }

    @Test
    @DisplayName("a label column that does not exist is refused before any run naming it")
    void missingLabel() {
        assertRefused(TrainSpec.of(TestStores.CREDIT, "klass"), "'label'", "klass", "checking_status");
    }

    @Test
    @DisplayName("a label with one class is refused before any run")
    void oneClassLabel() throws IOException {
        Path csv = dir.resolve("one-class.csv");
        Files.writeString(csv, "x,y\n1,a\n2,a\n3,a\n");
        assertRefused(TrainSpec.of(csv, "y"), "'label'", "at least two classes");
    }

    @Test
    @DisplayName("a label with missing values is refused before any run")
    void labelWithMissingValues() throws IOException {
        Path csv = dir.resolve("missing.csv");
        Files.writeString(csv, "x,y\n1,a\n2,\n3,b\n4,a\n");
        assertRefused(TrainSpec.of(csv, "y"), "'label'", "without missing values");
    }

    @Test
    @DisplayName("an unknown parameter is refused before any run naming it")
    void unknownParameter() {
        assertRefused(TrainSpec.of(TestStores.CREDIT, "class").withParam("max_dept", 4), "max_dept", "max_depth");
    }

    @Test
    @DisplayName("a parameter out of range is refused before any run naming the value and the range")
    void outOfRange() {
        assertRefused(TrainSpec.of(TestStores.CREDIT, "class").withParam("subsample", 0), "'subsample'", "(0, 1]");
    }

    @Test
    @DisplayName("an empty data file is refused before any run")
    void emptyData() throws IOException {
        Path csv = dir.resolve("empty.csv");
        Files.writeString(csv, "x,y\n");
        assertRefused(TrainSpec.of(csv, "y"), "'data'", "at least one row");
    }

    @Test
    @DisplayName("a CSV with a malformed line is refused before any run naming the line")
    void malformedCsv() throws IOException {
        Path csv = dir.resolve("malformed.csv");
        Files.writeString(csv, "x,y\n1,a\n2,b,extra,fields\n3,b\n4,a\n");
        assertThatThrownBy(() -> Training.train(TrainSpec.of(csv, "y").withExperiment("failures"), tracking))
                .isInstanceOf(CairnException.class).hasMessageContaining("malformed");
        assertThat(TestStores.nothingRecorded(store, "failures")).isTrue();
    }

    @Test
    @DisplayName("a parameter value that is not a number is refused naming it, and leaves no experiment and no run")
    void notANumber() {
        assertRefused(TrainSpec.of(TestStores.CREDIT, "class").withParam("max_depth", "abc"), "max_depth", "abc", "an integer");
    }

    @Test
    @DisplayName("a regression algorithm on a class label is refused before any run naming the algorithm")
    void wrongTask() {
        assertRefused(TrainSpec.of(TestStores.CREDIT, "class").withAlgorithm("linear_regression"), "'algorithm'", "binary");
    }
}

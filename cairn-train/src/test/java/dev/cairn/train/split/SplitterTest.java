package dev.cairn.train.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SplitterTest {
    private static final int[] CLASSES = IntStream.range(0, 1000).map(i -> i % 10 < 3 ? 1 : 0).toArray(); // 30% positive

    @Test
    @DisplayName("a stratified split keeps each class's share in both parts and is the same for the same seed")
    void stratifiedKeepsShares() {
        Split split = Splitter.stratified(CLASSES, 0.2, 7);
        assertThat(split.validation()).hasSize(200);
        assertThat(Arrays.stream(split.validation()).filter(i -> CLASSES[i] == 1).count()).isEqualTo(60);
        assertThat(Arrays.stream(split.train()).filter(i -> CLASSES[i] == 1).count()).isEqualTo(240);
        assertThat(Splitter.stratified(CLASSES, 0.2, 7).validation()).isEqualTo(split.validation());
        assertThat(Splitter.stratified(CLASSES, 0.2, 8).validation()).isNotEqualTo(split.validation());
    }

    @Test
    @DisplayName("a random split partitions the rows")
    void randomPartitions() {
        Split split = Splitter.random(101, 0.3, 1);
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 101).toArray());
        assertThat(split.validation()).hasSize(30);
    }

    @Test
    @DisplayName("a time split validates on the latest rows")
    void timeSplitTakesLatest() {
        double[] times = {50, 10, 40, 20, 30};
        Split split = Splitter.byTime(times, 0.4, "ts");
        assertThat(split.validation()).containsExactly(0, 2);
        assertThat(split.train()).containsExactly(1, 3, 4);
        assertThatThrownBy(() -> Splitter.byTime(new double[] {1, Double.NaN}, 0.5, "ts"))
                .isInstanceOf(CairnException.class).hasMessageContaining("time_column");
    }

    @Test
    @DisplayName("stratified k-fold covers every row once, with class shares and fold sizes within one")
    void stratifiedKFold() {
        List<Split> folds = Splitter.stratifiedKFold(CLASSES, 5, 3);
        assertThat(folds).hasSize(5);
        int[] seen = new int[CLASSES.length];
        for (Split f : folds) {
            assertThat(f.validation().length).isBetween(199, 201);
            assertThat(f.train().length + f.validation().length).isEqualTo(CLASSES.length);
            assertThat(Arrays.stream(f.validation()).filter(i -> CLASSES[i] == 1).count()).isBetween(59L, 61L);
            for (int i : f.validation()) seen[i]++;
        }
        assertThat(seen).containsOnly(1);
        assertThatThrownBy(() -> Splitter.kFold(3, 5, 1)).isInstanceOf(CairnException.class).hasMessageContaining("folds");
    }
}

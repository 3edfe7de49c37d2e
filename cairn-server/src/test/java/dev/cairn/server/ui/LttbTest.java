package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LttbTest {

    @Test
    void keepsTheEndsAndTheSpikesOfALongSeriesInAtMostThresholdPoints() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.exp(-i / 20_000.0) + random.nextGaussian() * 0.01;
        }
        y[31_337] = 5.0;
        Lttb.Series out = Lttb.downsample(new Lttb.Series(x, y), 1000);
        assertThat(out.size()).isEqualTo(1000);
        assertThat(out.x()[0]).isEqualTo(0);
        assertThat(out.x()[999]).isEqualTo(n - 1);
        assertThat(Arrays.stream(out.y()).max().orElseThrow()).isEqualTo(5.0);
        for (int i = 1; i < out.size(); i++) assertThat(out.x()[i]).isGreaterThan(out.x()[i - 1]);
    }

    @Test
    void aShortSeriesIsReturnedWhole() {
        Lttb.Series series = new Lttb.Series(new double[] {0, 1, 2}, new double[] {3, 1, 2});
        assertThat(Lttb.downsample(series, 1000)).isSameAs(series);
    }
}

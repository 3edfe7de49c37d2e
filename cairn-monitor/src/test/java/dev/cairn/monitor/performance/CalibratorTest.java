package dev.cairn.monitor.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String field(Throwable e) {
        return (String) ((CairnException) e).details().get("field");
    }

    @Test
    void poolsAdjacentViolatorsAsScikitLearnsIsotonicRegressionDoes() {
        // IsotonicRegression(out_of_bounds="clip").fit([.1,.2,.3,.4,.5,.6], [0,1,0,1,1,0]) predicts
        // [0, .5, .5, 2/3, 2/3, 2/3]: the 1,0 at .2,.3 pool to .5; 1,1,0 at .4-.6 to 2/3, above .5, so they stay.
        Calibrator c = Calibrator.fit(new int[] {0, 1, 0, 1, 1, 0}, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});

        assertThat(c.x()).containsExactly(0.1, 0.2, 0.3, 0.4, 0.6);
        assertThat(c.y()).containsExactly(0.0, 0.5, 0.5, 2.0 / 3, 2.0 / 3);
        assertThat(c.calibrated(0.25)).isEqualTo(0.5);
        assertThat(c.calibrated(0.35)).isCloseTo(0.5 + 0.5 * (2.0 / 3 - 0.5), within(1e-15)); // halfway between the steps
        assertThat(c.calibrated(0.15)).isCloseTo(0.25, within(1e-15));
        assertThat(c.calibrated(-3)).isEqualTo(0.0); // clamped beyond the reference's scores
        assertThat(c.calibrated(0.99)).isEqualTo(2.0 / 3);
    }

    @Test
    void tiedScoresAreOnePointAndTheInputOrderDoesNotMatter() {
        // At 0.3: labels 1, 0, 0 average to 1/3; below it 0.2 has a 1, a violator, so 0.2 and 0.3 pool to 2/4.
        Calibrator a = Calibrator.fit(new int[] {1, 0, 0, 1, 1}, new double[] {0.3, 0.3, 0.3, 0.2, 0.9});
        Calibrator b = Calibrator.fit(new int[] {1, 1, 0, 1, 0}, new double[] {0.9, 0.2, 0.3, 0.3, 0.3});

        assertThat(a).isEqualTo(b);
        assertThat(a.x()).containsExactly(0.2, 0.3, 0.9);
        assertThat(a.y()).containsExactly(0.5, 0.5, 1.0);
    }

    @Test
    void theFitIsMonotoneAndRecoversAMiscalibratedModel() {
        // Scores uniform on [0, 1], outcomes positive with probability s²: an over-confident model.
        Random random = new Random(11);
        int n = 50_000;
        int[] y = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextDouble();
            y[i] = random.nextDouble() < s[i] * s[i] ? 1 : 0;
        }
        Calibrator c = Calibrator.fit(y, s);

        double previous = -1;
        for (int k = 0; k <= 1000; k++) {
            double v = c.calibrated(k / 1000.0);
            assertThat(v).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous);
            previous = v;
        }
        // Around 0.7 about 5,000 rows have scores within 0.05, so the fitted level there has a standard
        // error near sqrt(0.49 * 0.51 / 5000) = 0.007 plus the curve's rise across a pooled step (~0.02):
        // 0.05 is a loose bound that identity calibration (0.7 against 0.49) fails by far.
        assertThat(c.calibrated(0.7)).isCloseTo(0.49, within(0.05));
        assertThat(c.calibrated(0.3)).isCloseTo(0.09, within(0.05));
    }

    @Test
    void identityGivesTheScoreBackClamped() {
        Calibrator id = Calibrator.identity();
        assertThat(id.calibrated(0.0)).isEqualTo(0.0);
        assertThat(id.calibrated(0.37)).isCloseTo(0.37, within(1e-15));
        assertThat(id.calibrated(1.0)).isEqualTo(1.0);
        assertThat(id.calibrated(1.5)).isEqualTo(1.0);
        assertThat(id.calibrated(-0.5)).isEqualTo(0.0);
    }

    @Test
    void jsonHoldsTheStepPoints() throws Exception {
        Calibrator c = Calibrator.fit(new int[] {0, 1, 0, 1, 1, 0}, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        String json = JSON.writeValueAsString(c);

        assertThat(JSON.readTree(json).fieldNames()).toIterable().containsExactly("x", "y");
        assertThat(JSON.readValue(json, Calibrator.class)).isEqualTo(c);
        assertThat(JSON.writeValueAsString(Calibrator.identity())).isEqualTo("{\"x\":[0.0,1.0],\"y\":[0.0,1.0]}");
    }

    @Test
    void badReferencesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Calibrator.fit(new int[] {0, 1}, new double[] {0.1}))
                .isInstanceOf(CairnException.class).satisfies(e -> assertThat(field(e)).isEqualTo("scores"))
                .hasMessageContaining("2 scores, one per label");
        assertThatThrownBy(() -> Calibrator.fit(new int[0], new double[0]))
                .satisfies(e -> assertThat(field(e)).isEqualTo("labels"));
        assertThatThrownBy(() -> Calibrator.fit(new int[] {0, 2}, new double[] {0.1, 0.2}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("labels[1]")).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> Calibrator.fit(new int[] {0, 1}, new double[] {Double.NaN, 0.2}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("scores[0]"));
        assertThatThrownBy(() -> Calibrator.identity().calibrated(Double.NaN))
                .satisfies(e -> assertThat(field(e)).isEqualTo("score"));
    }

    @Test
    void badStoredCalibratorsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new Calibrator(new double[] {0.1, 0.2}, new double[] {0.5}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("y"));
        assertThatThrownBy(() -> new Calibrator(new double[] {0.2, 0.2}, new double[] {0.1, 0.5}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("x[1]"));
        assertThatThrownBy(() -> new Calibrator(new double[] {0.1, 0.2}, new double[] {0.5, 0.4}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("y[1]"));
        assertThatThrownBy(() -> new Calibrator(new double[] {0.1}, new double[] {1.5}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("y[0]"));
        assertThatThrownBy(() -> JSON.readValue("{\"x\":[],\"y\":[]}", Calibrator.class))
                .hasRootCauseInstanceOf(CairnException.class);
    }
}

package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricSeriesTest {

    @Test
    void seriesSharingAChartShareItsPointBudgetWithinBounds() {
        assertThat(MetricSeries.pointsEach(1)).isEqualTo(MetricSeries.POINTS);
        assertThat(MetricSeries.pointsEach(10)).isEqualTo(MetricSeries.POINTS);
        assertThat(MetricSeries.pointsEach(200)).isEqualTo(100);
        assertThat(MetricSeries.pointsEach(200) * 200).isLessThanOrEqualTo(MetricSeries.BUDGET);
        assertThat(MetricSeries.pointsEach(100_000)).isEqualTo(MetricSeries.MIN_POINTS);
    }

    @Test
    void stepsGoOutAsIntegersAndValuesWithSevenSignificantDigits() {
        assertThat(MetricSeries.compact(300.0)).isEqualTo(300L);
        assertThat(MetricSeries.compact(0.123456789012345)).isEqualTo(0.1234568);
        assertThat(MetricSeries.compact(-1.0e-12 / 3)).isEqualTo(-3.333333e-13);
        assertThat(MetricSeries.compact(1.7e300)).isEqualTo(1.7e300);
        assertThat(String.valueOf(MetricSeries.compact(2.0 / 3))).isEqualTo("0.6666667");
    }
}

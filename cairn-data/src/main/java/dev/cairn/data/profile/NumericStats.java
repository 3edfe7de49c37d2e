package dev.cairn.data.profile;

import java.util.Map;

/**
 * Statistics of a numeric column. Moments cover the finite values ({@code finiteCount}); NaN and
 * infinities are counted apart. {@code m2} is the sum of squared deviations from the mean, kept so
 * that profiles merge exactly (Chan et al.). Quantiles and histograms come from the KLL sketch.
 */
public record NumericStats(
        Double min,
        Double max,
        Double mean,
        Double stdDev,
        long finiteCount,
        double m2,
        long zeros,
        long nan,
        long infinite,
        long distinct,
        Map<String, Double> quantiles,
        Histogram equalWidthHistogram,
        Histogram quantileHistogram) {}

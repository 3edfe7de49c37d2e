package dev.cairn.data.drift;

/**
 * Multivariate drift of one window: its mean reconstruction error ({@code value}), the band the
 * reference allows a window of its size ({@code lower}..{@code upper}) and whether the value lies
 * outside it. A window without rows has a NaN value and is not drifted.
 */
public record MultivariateResult(double value, double lower, double upper, boolean drifted) {}

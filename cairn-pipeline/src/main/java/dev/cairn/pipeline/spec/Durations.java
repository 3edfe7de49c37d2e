package dev.cairn.pipeline.spec;

import java.time.Duration;

/**
 * The duration grammar of pipeline specs, which is {@link dev.cairn.data.yaml.Durations}: ISO-8601 of fixed length
 * ({@code PT30M}, {@code P1D}, {@code P1W}) or the short form ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}).
 * Kept here for the callers that name it by this package.
 */
public final class Durations {
    private Durations() {}

    /** The duration, or null when {@code text} is not one (the caller reports where). Never negative. */
    public static Duration parse(String text) {
        return dev.cairn.data.yaml.Durations.parse(text);
    }
}

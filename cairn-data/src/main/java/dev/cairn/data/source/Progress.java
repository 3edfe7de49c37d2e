package dev.cairn.data.source;

/**
 * Told how far long work has come, so the CLI can draw a progress bar. {@code total} is -1 when
 * it is not known yet. Called from worker threads; implementations must be thread-safe.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (stage, done, total) -> {};

    void update(String stage, long done, long total);
}

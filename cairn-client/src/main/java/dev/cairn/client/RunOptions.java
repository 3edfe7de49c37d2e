package dev.cairn.client;

import java.util.Map;

/**
 * How to start a run: its name (null lets the server pick one), the source to record (null for
 * the main class) and extra tags.
 */
public record RunOptions(String runName, String source, Map<String, String> tags) {

    public RunOptions {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, null, Map.of());
    }

    public static RunOptions named(String runName) {
        return new RunOptions(runName, null, Map.of());
    }

    public RunOptions withSource(String source) {
        return new RunOptions(runName, source, tags);
    }

    public RunOptions withTags(Map<String, String> tags) {
        return new RunOptions(runName, source, tags);
    }
}

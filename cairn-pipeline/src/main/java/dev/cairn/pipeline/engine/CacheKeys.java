package dev.cairn.pipeline.engine;

import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.spec.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cache key of a step: the SHA-256 of everything its result depends on, in canonical JSON. That is its type,
 * its resolved {@code with} (in which data read by an upstream step appears as {@code snapshot:<content hash>}),
 * the content hash of every workspace file a value names (a schema, a search space: editing the file changes the
 * key, renaming it does not matter), the code version, and what the runner adds (the version an alias points at).
 * The spec's own hash is left out on purpose: editing an unrelated step must not recompute this one.
 */
final class CacheKeys {
    /** Bumped when what a key means changes, so old cache entries stop matching. */
    static final String FORMAT = "cairn.step-cache/v1";

    private CacheKeys() {}

    static String of(Step step, Map<String, Object> resolvedWith, Workspace workspace, String codeVersion,
                     List<String> runnerParts) {
        Map<String, Object> key = new TreeMap<>();
        key.put("format", FORMAT);
        key.put("type", step.type().label());
        key.put("with", resolvedWith);
        key.put("files", fileHashes(resolvedWith, workspace));
        key.put("code_version", codeVersion == null ? "" : codeVersion);
        key.put("runner", runnerParts);
        return Sha256.of(EngineJson.write(key).getBytes(StandardCharsets.UTF_8));
    }

    /** Value -> content hash for every text value that names an existing file of the workspace. */
    private static Map<String, String> fileHashes(Object value, Workspace workspace) {
        Map<String, String> out = new TreeMap<>();
        collect(value, workspace, out);
        return out;
    }

    private static void collect(Object value, Workspace workspace, Map<String, String> out) {
        switch (value) {
            case String s -> {
                if (s.isBlank() || s.length() > 4096 || s.startsWith(StepContext.SNAPSHOT_SCHEME) || Workspace.isJdbc(s)
                        || s.contains("://") || s.contains(":/") || s.contains("\n")) {
                    return;
                }
                try {
                    Path file = workspace.file("cache key", s);
                    if (Files.isRegularFile(file)) out.put(s, Sha256.of(file, s));
                } catch (RuntimeException e) {
                    // Not a path this workspace may read: not a file input, or the runner will say so.
                }
            }
            case Map<?, ?> m -> m.values().forEach(v -> collect(v, workspace, out));
            case List<?> l -> l.forEach(v -> collect(v, workspace, out));
            case null, default -> { }
        }
    }
}

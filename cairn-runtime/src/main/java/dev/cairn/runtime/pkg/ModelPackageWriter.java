package dev.cairn.runtime.pkg;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a model package directory atomically: everything goes to a hidden temporary sibling
 * directory, model.yaml last with the SHA-256 of every other file, then the directory is renamed
 * into place. A reader never sees a half-written package, and a failed write leaves nothing. The
 * manifest is checked exactly as the loader checks it, so a written package always loads.
 */
public final class ModelPackageWriter {

    private ModelPackageWriter() {
    }

    /**
     * Writes {@code files} (path relative to the package root → bytes; e.g. {@code model.ubj}) and
     * model.yaml into the new directory {@code target}, which must not exist yet.
     *
     * @return the manifest as written, with its checksums
     */
    public static ModelManifest write(Path target, ModelManifest manifest, Map<String, byte[]> files) {
        if (Files.exists(target)) throw CairnException.alreadyExists("model package directory", target);
        Map<String, String> checksums = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            checkRelative(e.getKey());
            if (e.getKey().equals(ManifestCodec.FILE_NAME)) {
                throw CairnException.invalid("files", e.getKey(), "model files other than model.yaml, which the writer makes");
            }
            checksums.put(e.getKey(), Sha256.of(e.getValue()));
        }
        ModelManifest complete = manifest.withFiles(checksums);
        List<String> problems = ManifestCodec.schemaProblems(ManifestCodec.toTree(complete));
        if (!problems.isEmpty()) throw ManifestCodec.invalid(target.toString(), problems);
        ModelPackage.checkConsistency(complete, checksums.keySet(), target.toString());
        byte[] yaml = ManifestCodec.toYaml(complete).getBytes(StandardCharsets.UTF_8);
        // Round-trip the YAML now: a value YAML cannot carry faithfully must fail here, not at load.
        ManifestCodec.fromYaml(yaml, target.toString());

        Path parent = target.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temp);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path p = temp.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            Files.write(temp.resolve(ManifestCodec.FILE_NAME), yaml);
            moveIntoPlace(temp, target);
            return complete;
        } catch (IOException e) {
            deleteQuietly(temp);
            if (e instanceof FileAlreadyExistsException) throw CairnException.alreadyExists("model package directory", target);
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write model package " + target + ": " + e, e);
        }
    }

    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
    }

    static void checkRelative(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")
                || List.of(path.split("/")).stream().anyMatch(s -> s.isEmpty() || s.equals("..") || s.equals("."))
                || !path.matches("[A-Za-z0-9_.\\-/]+")) {
            throw CairnException.invalid("files", path, "a relative path of letters, digits, '_', '.', '-' and '/' inside the package");
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden temporary directory is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}

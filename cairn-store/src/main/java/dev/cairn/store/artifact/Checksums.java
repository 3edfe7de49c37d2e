package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link LocalArtifactRepository} records the SHA-256 of the files it writes: in a
 * checksum store, a mirror tree {@code <base>/.cairn-checksums/} holding, for the file
 * {@code <base>/a/b.bin}, the record {@code <base>/.cairn-checksums/a/b.bin} in {@code sha256sum}
 * format ({@code <hex>  b.bin}; {@code cd a && sha256sum -c <record>} checks it). Directories that
 * hold user files therefore hold only user files, so a model package can be loaded in place.
 *
 * <p>The record mirrors the file's path exactly, with no suffix: a file and a directory cannot
 * share a path in the real tree, so they cannot collide in the mirror either (a suffix such as
 * {@code .sha256} would collide with a user directory of that name).
 *
 * <p>Which store: repositories are opened at many levels of one tree (the server at
 * {@code file:/…/artifacts}, a run's tracker at {@code file:/…/artifacts/1/<run>/artifacts}, a
 * loader at the model directory below it), so the store cannot be tied to the root a repository
 * was opened at. Instead a file's store is found from the file: walking up from the real path of
 * its directory to the file-system root, the nearest directory holding a {@code .cairn-checksums}
 * folder. A write records in that nearest store; only when there is none is a store created, at
 * the root of the repository the writer was opened at ({@code child()} repositories share their
 * parent's). Any repository opened at the same, an ancestor or a descendant directory thus finds
 * the same record. A read takes the first record found walking up through every store on the
 * way (so a store created later below an older one, e.g. by two first writers racing, hides no
 * record), then falls back to a legacy sidecar {@code <dir>/.cairn-sha256-<name>} written by
 * earlier versions; with neither, the file was not written by Cairn and is read unverified.
 * Deleting removes the file's record from every store on the way, and its legacy sidecar.
 *
 * <p>Paths are taken through their real directory, so a file reached through a symbolic link to
 * a directory inside the root is verified against the record of the file it really is.
 */
final class Checksums {
    static final String DIRECTORY = ArtifactPaths.RESERVED_PREFIX + "checksums";
    /** The sidecar prefix of earlier versions, still read so that existing stores keep verifying. */
    static final String LEGACY_PREFIX = ArtifactPaths.RESERVED_PREFIX + "sha256-";

    /** Where a first store is created when a write finds none: the root the repository chain was opened at. */
    private final Path home;

    Checksums(Path home) {
        this.home = home;
    }

    /** The recorded digests of the files directly in {@code dir}. */
    Folder folder(Path dir) {
        Path realDir = LocalArtifactRepository.realPath(dir);
        return new Folder(dir, realDir, storesAbove(realDir));
    }

    /**
     * Records {@code sha256} for {@code target} (not renamed into place yet) in the nearest store,
     * creating one at {@link #home} if there is none. Atomic: the record is whole or absent.
     */
    void write(Path target, String sha256, String rel) throws IOException {
        Path realDir = LocalArtifactRepository.realPath(target.getParent());
        String name = target.getFileName().toString();
        Path base = nearestStore(realDir);
        if (base == null) {
            base = LocalArtifactRepository.realPath(home);
            // The repository only writes below its root, which is below home; be safe regardless.
            if (!realDir.startsWith(base)) base = realDir;
        }
        Path storeDir = base.resolve(DIRECTORY);
        Path record = storeDir.resolve(base.relativize(realDir).toString()).resolve(name);
        byte[] bytes = (sha256 + "  " + name + "\n").getBytes(StandardCharsets.UTF_8);
        // A concurrent delete may prune the record's directory just created: try again a few times.
        for (int attempt = 0; ; attempt++) {
            try {
                clearStale(storeDir, record);
                Files.createDirectories(record.getParent());
                LocalFiles.writeAtomically(record, bytes, rel);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 3) throw e;
            }
        }
    }

    /** Removes the legacy sidecar of a file just written: the new record now answers for it. */
    void dropLegacy(Path target) {
        LocalFiles.deleteQuietly(legacySidecar(target));
    }

    /** Removes the records of a deleted file from every store above it, and its legacy sidecar. */
    void delete(Path file) throws IOException {
        Path realDir = LocalArtifactRepository.realPath(file.getParent());
        String name = file.getFileName().toString();
        for (Path base : storesAbove(realDir)) {
            Path storeDir = base.resolve(DIRECTORY);
            Path record = storeDir.resolve(base.relativize(realDir).toString()).resolve(name);
            if (Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(record);
            LocalFiles.pruneEmptyDirectories(record.getParent(), storeDir);
        }
        Files.deleteIfExists(legacySidecar(file));
    }

    /**
     * The mirror subtrees that hold the records of files below {@code dir}, to delete with it.
     * Computed before the directory is deleted, while its real path can still be resolved.
     */
    List<Path> mirrorsOf(Path dir) {
        Path realDir = LocalArtifactRepository.realPath(dir);
        Path parent = realDir.getParent();
        if (parent == null) return List.of();
        List<Path> mirrors = new ArrayList<>();
        for (Path base : storesAbove(parent)) {
            mirrors.add(base.resolve(DIRECTORY).resolve(base.relativize(realDir).toString()));
        }
        return mirrors;
    }

    /** Deletes mirror subtrees returned by {@link #mirrorsOf} and the directories they leave empty. */
    static void deleteMirrors(List<Path> mirrors) throws IOException {
        for (Path mirror : mirrors) {
            LocalFiles.deleteTree(mirror);
            Path storeDir = storeDirOf(mirror);
            if (storeDir != null) LocalFiles.pruneEmptyDirectories(mirror.getParent(), storeDir);
        }
    }

    /** The directories that hold a store, nearest first, from {@code realDir} up to the file-system root. */
    private static List<Path> storesAbove(Path realDir) {
        List<Path> bases = new ArrayList<>(1);
        for (Path dir = realDir; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DIRECTORY))) bases.add(dir);
        }
        return bases;
    }

    private static Path nearestStore(Path realDir) {
        for (Path dir = realDir; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DIRECTORY))) return dir;
        }
        return null;
    }

    private static Path storeDirOf(Path mirror) {
        for (Path dir = mirror; dir != null; dir = dir.getParent()) {
            if (dir.getFileName() != null && dir.getFileName().toString().equals(DIRECTORY)) return dir;
        }
        return null;
    }

    /**
     * Records left behind by files removed by hand can stand where this record needs a directory
     * (a file's record where its path is now a directory) or be a directory where this record
     * goes: both describe files that no longer exist, so they are removed.
     */
    private static void clearStale(Path storeDir, Path record) throws IOException {
        Path current = storeDir;
        for (Path segment : storeDir.relativize(record.getParent())) {
            current = current.resolve(segment.toString());
            if (Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(current);
        }
        if (Files.isDirectory(record, LinkOption.NOFOLLOW_LINKS)) LocalFiles.deleteTree(record);
    }

    private static Path legacySidecar(Path file) {
        return file.resolveSibling(LEGACY_PREFIX + file.getFileName());
    }

    /** The digests recorded for the files of one directory, looked up once for a listing. */
    record Folder(Path dir, Path realDir, List<Path> stores) {

        /**
         * The recorded hex digest of the file {@code name} in this directory, or null when it has
         * none (it was not written by Cairn).
         *
         * @param location what to name in an error (the repository root and the path)
         */
        String sha256(String name, String location) {
            for (Path base : stores) {
                Path record = base.resolve(DIRECTORY).resolve(base.relativize(realDir).toString()).resolve(name);
                String text = readRecord(record, location);
                if (text != null) return parse(text, location);
            }
            String legacy = readRecord(dir.resolve(LEGACY_PREFIX + name), location);
            return legacy == null ? null : parse(legacy, location);
        }

        private static String readRecord(Path record, String location) {
            try {
                return Files.readString(record, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                // A directory where the record would be, or a file where one of its parent directories
                // would be, is a stale mirror of something removed by hand: no record.
                if (!Files.isRegularFile(record)) return null;
                throw LocalFiles.ioFailure("read the digest of", location, e);
            }
        }

        private static String parse(String text, String location) {
            String hex = text.length() >= 64 ? text.substring(0, 64) : text;
            if (!Sha256.isHex(hex)) {
                throw new CairnException(ErrorCode.DATA_LOSS,
                        "The recorded SHA-256 of artifact '" + location + "' is unreadable: '" + text.strip() + "'",
                        Map.of("path", location));
            }
            return hex;
        }
    }
}

package dev.cairn.store.artifact;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a killed process leaves on disk: temporary files and directories that are only
 * ever renamed into place or deleted by the process that made them. Only entries untouched for
 * longer than a threshold go, so a write still in progress in another process is left alone.
 * Symbolic links are never followed. Failures are logged and skipped: a leftover that cannot be
 * removed now is tried again on the next sweep.
 */
public final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    /** How long an entry must have been untouched: far longer than any write keeps a temporary. */
    public static final Duration DEFAULT_AGE = Duration.ofHours(1);

    private Leftovers() {}

    /**
     * Deletes the entries directly in {@code dir} whose name {@code matches} and in which nothing
     * (the entry itself, or for a directory anything inside it) was modified within
     * {@code olderThan}; returns how many entries were removed. A missing {@code dir} has none.
     */
    public static int removeStaleEntries(Path dir, Predicate<String> matches, Duration olderThan) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!matches.test(entry.getFileName().toString())) continue;
                try {
                    if (newestModification(entry).toInstant().isAfter(cutoff)) continue;
                    LocalFiles.deleteTree(entry);
                    removed++;
                } catch (IOException e) {
                    LOG.warn("Could not remove the leftover {}: {}", entry, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for leftovers in {}: {}", dir, e.toString());
        }
        return removed;
    }

    /**
     * Deletes every file anywhere under {@code root} whose name {@code matches} and that was not
     * modified within {@code olderThan}, then the directories that this leaves empty (a local
     * repository has no directory without files); returns how many files were removed.
     */
    public static int removeStaleFiles(Path root, Predicate<String> matches, Duration olderThan) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return 0;
        Instant cutoff = Instant.now().minus(olderThan);
        int[] removed = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && matches.test(file.getFileName().toString())
                            && attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        try {
                            Files.deleteIfExists(file);
                            removed[0]++;
                            LocalFiles.pruneEmptyDirectories(file.getParent(), root);
                        } catch (IOException e) {
                            LOG.warn("Could not remove the leftover {}: {}", file, e.toString());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Gone meanwhile (a concurrent delete) or unreadable: nothing to clean there.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not look for leftovers under {}: {}", root, e.toString());
        }
        return removed[0];
    }

    /** The latest modification time of {@code entry} and, for a directory, of anything inside it. */
    private static FileTime newestModification(Path entry) throws IOException {
        FileTime[] newest = {Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)};
        if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) return newest[0];
        Files.walkFileTree(entry, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (attributes.lastModifiedTime().compareTo(newest[0]) > 0) newest[0] = attributes.lastModifiedTime();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.lastModifiedTime().compareTo(newest[0]) > 0) newest[0] = attributes.lastModifiedTime();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }
        });
        return newest[0];
    }
}

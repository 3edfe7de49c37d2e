package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** File-system steps shared by the local repository and its multipart uploads. */
final class LocalFiles {
    static final String TEMP_PREFIX = ArtifactPaths.RESERVED_PREFIX + "tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalFiles() {}

    /** What a copy wrote: its size and hex SHA-256. */
    record Written(long size, String sha256) {}

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A new empty temporary file in {@code dir}, so that renaming it over a target stays atomic. */
    static Path newTempFile(Path dir) throws IOException {
        // Not Files.createTempFile: it creates the file owner-only (0600) instead of honouring the umask.
        return Files.createFile(dir.resolve(TEMP_PREFIX + randomHex(12)));
    }

    /**
     * Appends {@code content} to an open channel while hashing it into {@code digest}. A failure
     * to read the content is the caller's (BAD_REQUEST); a failure to write is ours.
     */
    static long append(FileChannel channel, InputStream content, MessageDigest digest, String what) {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        OutputStream out = Channels.newOutputStream(channel);
        while (true) {
            int n;
            try {
                n = content.read(buffer);
            } catch (IOException e) {
                throw new CairnException(ErrorCode.BAD_REQUEST,
                        "Reading the content of '" + what + "' failed after " + size + " bytes: " + e.getMessage(), e);
            }
            if (n < 0) return size;
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw ioFailure("write", what, e);
            }
            digest.update(buffer, 0, n);
            size += n;
        }
    }

    /** Copies the content into {@code file} (empty, created by us) and forces it to disk. */
    static Written writeAndSync(Path file, InputStream content, String what) {
        MessageDigest digest = Sha256.newDigest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = append(channel, content, digest, what);
            channel.force(true);
            return new Written(size, Sha256.hex(digest));
        } catch (IOException e) {
            throw ioFailure("write", what, e);
        }
    }

    /** Writes small bytes to a temporary file beside {@code target}, syncs, and renames it over it. */
    static void writeAtomically(Path target, byte[] bytes, String what) throws IOException {
        Path temp = newTempFile(target.getParent());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Forces a directory's entries (a rename's effect) to disk; not all platforms allow it. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the rename itself was atomic.
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort: a leftover temporary file is hidden from listings and harmless.
        }
    }

    /** Deletes a file or a directory tree without following symbolic links. */
    static void deleteTree(Path start) throws IOException {
        if (!Files.exists(start, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Removes {@code dir} and its ancestors below {@code stop} while they are empty, so that a
     * local tree, like an S3 prefix, has no directory without files.
     */
    static void pruneEmptyDirectories(Path dir, Path stop) {
        Path current = dir;
        while (current != null && !current.equals(stop) && current.startsWith(stop)) {
            try {
                Files.deleteIfExists(current);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
            current = current.getParent();
        }
    }

    static CairnException ioFailure(String action, String what, IOException e) {
        // The one file-system refusal that is about the name the caller chose, not about the server.
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null && fs.getReason().contains("File name too long")) {
            return CairnException.invalid("path", what, "a shorter path: the file system refuses this name as too long");
        }
        return new CairnException(ErrorCode.INTERNAL_ERROR,
                "Could not " + action + " artifact '" + what + "': " + e, e);
    }
}

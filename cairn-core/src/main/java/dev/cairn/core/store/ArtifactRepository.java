package dev.cairn.core.store;

import java.io.InputStream;
import java.util.List;

/**
 * Files under one root ({@code file:/…} or {@code s3://bucket/prefix}). Paths are relative and use
 * '/'; a path with {@code ..}, an absolute path or a symlink that leaves the root is refused.
 * Writes are atomic (a temporary name, then a rename or a multipart completion): a reader sees the
 * whole file or nothing. The SHA-256 of every file is recorded when it is written and verified
 * when it is read: a mismatch raises DATA_LOSS at the end of the stream.
 */
public interface ArtifactRepository {

    /** The root's URI. */
    String rootUri();

    ArtifactInfo put(String path, InputStream content);

    /** Opens a file; the stream verifies the recorded checksum as it reaches its end. */
    InputStream open(String path);

    /** The immediate children of a directory ("" for the root); empty when it does not exist. */
    List<ArtifactInfo> list(String path);

    /** The file's info, or RESOURCE_DOES_NOT_EXIST. */
    ArtifactInfo stat(String path);

    boolean exists(String path);

    /** Deletes a file or a whole directory; no error when absent. */
    void delete(String path);

    /** A repository for a sub-directory of this one (e.g. one run's artifacts). */
    ArtifactRepository child(String path);

    /** Multipart upload for large files, written whole only on {@link MultipartUpload#complete()}. */
    MultipartUpload startMultipart(String path);

    /** Picks up an upload started earlier (possibly by another server process) by its id. */
    MultipartUpload resumeMultipart(String path, String uploadId);

    /**
     * Removes what interrupted writes left behind (a process killed mid-upload: temporary files,
     * abandoned multipart uploads) that was last touched longer than {@code olderThan} ago, and
     * returns how many entries went. Anything younger is left alone, so this is safe to call while
     * other processes write to the same root. A backend with nothing of its own to clean (a
     * remote server cleans its own root) keeps this default.
     */
    default int removeLeftovers(java.time.Duration olderThan) {
        return 0;
    }

    /** An upload in progress. Parts are numbered from 1 and may arrive in any order. */
    interface MultipartUpload extends AutoCloseable {
        String uploadId();

        void putPart(int partNumber, InputStream content);

        ArtifactInfo complete();

        void abort();

        /** Aborts unless completed. */
        @Override
        default void close() {
            abort();
        }
    }
}

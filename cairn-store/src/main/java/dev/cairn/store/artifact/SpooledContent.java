package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A caller's stream read to its end before anything is sent to S3: S3 needs the length up front
 * and the digest goes into the object's metadata, which is fixed when the upload starts. Small
 * content stays in memory; beyond the threshold it spills to a temporary file, deleted on close.
 * Because the whole stream is read first, a stream that fails midway uploads nothing.
 */
final class SpooledContent implements AutoCloseable {
    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final String sha256;

    private SpooledContent(byte[] bytes, Path file, long size, String sha256) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
    }

    static SpooledContent read(InputStream content, int memoryThreshold, String what) {
        MessageDigest digest = Sha256.newDigest();
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        Path file = null;
        OutputStream out = memory;
        try {
            while (true) {
                int n;
                try {
                    n = content.read(buffer);
                } catch (IOException e) {
                    throw new CairnException(ErrorCode.BAD_REQUEST,
                            "Reading the content of '" + what + "' failed after " + size + " bytes: " + e.getMessage(), e);
                }
                if (n < 0) break;
                if (file == null && size + n > memoryThreshold) {
                    file = Files.createTempFile("cairn-s3-upload-", ".tmp");
                    out = Channels.newOutputStream(FileChannel.open(file, StandardOpenOption.WRITE));
                    memory.writeTo(out);
                    memory = null;
                }
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                size += n;
            }
            if (file != null) out.close();
            return new SpooledContent(file == null ? memory.toByteArray() : null, file, size, Sha256.hex(digest));
        } catch (IOException e) {
            closeQuietly(out);
            deleteQuietly(file);
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not buffer artifact '" + what + "' for upload: " + e, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(out);
            deleteQuietly(file);
            throw e;
        }
    }

    long size() {
        return size;
    }

    String sha256() {
        return sha256;
    }

    RequestBody body() {
        return range(0, size);
    }

    /** A body for bytes [offset, offset + length), re-readable so the SDK can retry. */
    RequestBody range(long offset, long length) {
        if (bytes != null) return RequestBody.fromBytes(java.util.Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)));
        return RequestBody.fromContentProvider(() -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new BoundedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, length, "application/octet-stream");
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void closeQuietly(OutputStream out) {
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // The spool is being discarded anyway.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover file in the temp directory is harmless.
        }
    }

    /** At most {@code remaining} bytes of the wrapped stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) remaining -= n;
            return n;
        }
    }
}

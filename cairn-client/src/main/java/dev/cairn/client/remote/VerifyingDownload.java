package dev.cairn.client.remote;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A download's body that hashes what the caller reads and, at its end, compares the length with
 * Content-Length and the SHA-256 with the one the server sent (X-Cairn-Sha256). A mismatch, or a
 * connection that breaks before the end, raises DATA_LOSS from the read that would have returned
 * end-of-stream, so a caller reading to the end never takes corrupt or partial bytes for a whole file.
 */
final class VerifyingDownload extends FilterInputStream {

    private final String what;
    private final String expectedSha256;
    private final long expectedLength;
    private final MessageDigest digest;
    private long length;
    private boolean verified;

    /** {@code expectedSha256} null or {@code expectedLength} negative when the server sent none. */
    VerifyingDownload(InputStream in, String what, String expectedSha256, long expectedLength) {
        super(in);
        this.what = what;
        this.expectedSha256 = expectedSha256;
        this.expectedLength = expectedLength;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = guarded(in::read);
        if (b < 0) verify();
        else {
            digest.update((byte) b);
            length++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = guarded(() -> in.read(buffer, offset, count));
        if (n < 0) verify();
        else {
            digest.update(buffer, offset, n);
            length += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too, or the digest could not be checked.
        byte[] sink = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) break;
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private interface Read {
        int read() throws IOException;
    }

    private int guarded(Read read) {
        try {
            return read.read();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "The download of " + what + " broke off after " + length
                    + (expectedLength >= 0 ? " of " + expectedLength : "") + " bytes: " + e.getMessage(),
                    Map.of("path", what, "received", length), e);
        }
    }

    private void verify() {
        if (verified) return;
        verified = true;
        if (expectedLength >= 0 && length != expectedLength) {
            throw new CairnException(ErrorCode.DATA_LOSS, "The download of " + what + " arrived truncated: " + length
                    + " of " + expectedLength + " bytes", Map.of("path", what, "received", length, "expected_length", expectedLength));
        }
        if (expectedSha256 != null) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("path", what);
                details.put("expected", expectedSha256);
                details.put("actual", actual);
                throw new CairnException(ErrorCode.DATA_LOSS, "The download of " + what + " failed its checksum: expected sha256 "
                        + expectedSha256 + ", got " + actual, details);
            }
        }
    }
}

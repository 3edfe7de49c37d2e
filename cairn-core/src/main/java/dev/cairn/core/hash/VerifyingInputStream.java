package dev.cairn.core.hash;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hashes what the caller reads and, on reaching the end, compares the length and the SHA-256 with
 * what was recorded (a stored artifact's digest, a server's X-Cairn-Sha256 and Content-Length). A
 * mismatch, or a source that breaks off before its end, surfaces as DATA_LOSS from the read that
 * would have returned end-of-stream, so a caller that reads to the end never mistakes corrupt or
 * partial bytes for a whole file. Skipping reads (and hashes) the skipped bytes; mark/reset is not
 * supported, since re-reading would hash bytes twice.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final String what;
    private final String expectedSha256;
    private final long expectedLength;
    private final MessageDigest digest = Sha256.newDigest();
    private long length;
    private boolean verified;

    /**
     * @param what           what to name in errors (an artifact's location, a download)
     * @param expectedSha256 the recorded hex digest, or null to check only the length
     * @param expectedLength the recorded length, or negative when unknown
     */
    public VerifyingInputStream(InputStream in, String what, String expectedSha256, long expectedLength) {
        super(in);
        this.what = what;
        this.expectedSha256 = expectedSha256;
        this.expectedLength = expectedLength;
    }

    @Override
    public int read() throws IOException {
        int b = guarded(in::read);
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            length++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = guarded(() -> in.read(buffer, offset, count));
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
            length += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
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

    @Override
    public void mark(int readLimit) {
        // not supported: see the class comment
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset is not supported by a verifying stream");
    }

    private interface Read {
        int read() throws IOException;
    }

    private int guarded(Read read) {
        try {
            return read.read();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Reading " + what + " broke off after " + length
                    + (expectedLength >= 0 ? " of " + expectedLength : "") + " bytes: " + e.getMessage(),
                    Map.of("path", what, "received", length), e);
        }
    }

    private void verify() {
        if (verified) return;
        verified = true;
        if (expectedLength >= 0 && length != expectedLength) {
            throw new CairnException(ErrorCode.DATA_LOSS, what + " arrived truncated: " + length + " of " + expectedLength
                    + " bytes", Map.of("path", what, "received", length, "expected_length", expectedLength));
        }
        if (expectedSha256 == null) return;
        String actual = Sha256.hex(digest);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("path", what);
            details.put("expected_sha256", expectedSha256);
            details.put("actual_sha256", actual);
            throw new CairnException(ErrorCode.DATA_LOSS, what + " is corrupt: its recorded SHA-256 is " + expectedSha256
                    + " but the bytes read hash to " + actual, details);
        }
    }
}

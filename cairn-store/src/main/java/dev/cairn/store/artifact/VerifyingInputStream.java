package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Hashes what the caller reads and, on reaching the end, compares it with the digest recorded
 * when the file was written. A mismatch surfaces as DATA_LOSS from the read that would have
 * returned end-of-stream, so a caller that reads to the end never mistakes corrupt bytes for a
 * complete file. Skipping reads (and hashes) the skipped bytes; mark/reset is not supported.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String location;
    private final String expectedSha256;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean verified;

    /**
     * @param location what to name in the error (the repository root and the path)
     * @param expectedSha256 the recorded hex digest
     */
    VerifyingInputStream(InputStream in, String location, String expectedSha256) {
        super(in);
        this.location = location;
        this.expectedSha256 = expectedSha256;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) verify();
        else digest.update((byte) b);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) verify();
        else digest.update(buffer, offset, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
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
        // Not supported: re-reading would hash bytes twice.
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset is not supported by a verifying artifact stream");
    }

    private void verify() {
        if (verified) return;
        verified = true;
        String actual = Sha256.hex(digest);
        if (!actual.equals(expectedSha256)) {
            throw new CairnException(ErrorCode.DATA_LOSS,
                    "Artifact '" + location + "' is corrupt: its recorded SHA-256 is " + expectedSha256
                            + " but the bytes read hash to " + actual,
                    Map.of("path", location, "expected_sha256", expectedSha256, "actual_sha256", actual));
        }
    }
}

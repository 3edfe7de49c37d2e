package dev.cairn.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {

    private static final byte[] BYTES = "model weights".getBytes(StandardCharsets.UTF_8);

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    @DisplayName("bytes matching the sent length and SHA-256 read through to the end")
    void matchingBytesPass() throws Exception {
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(BYTES), "w.bin", sha256(BYTES), BYTES.length)) {
            assertThat(in.readAllBytes()).isEqualTo(BYTES);
        }
    }

    @Test
    @DisplayName("other bytes are DATA_LOSS at the end of the stream, naming both digests")
    void otherBytesAreDataLoss() throws Exception {
        String expected = sha256("other".getBytes(StandardCharsets.UTF_8));
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream(BYTES), "w.bin", expected, BYTES.length);
        CairnException e = catchThrowableOfType(CairnException.class, in::readAllBytes);
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.details()).containsEntry("expected_sha256", expected).containsEntry("actual_sha256", sha256(BYTES));
    }

    @Test
    @DisplayName("fewer bytes than Content-Length are DATA_LOSS, even without a checksum")
    void truncatedIsDataLoss() {
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream(BYTES), "w.bin", null, BYTES.length + 10);
        CairnException e = catchThrowableOfType(CairnException.class, in::readAllBytes);
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.getMessage()).contains("truncated");
    }

    @Test
    @DisplayName("a connection that breaks mid-way is DATA_LOSS, not a bare IOException")
    void brokenConnectionIsDataLoss() {
        InputStream broken = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 3) return 'x';
                throw new IOException("connection reset");
            }
        };
        InputStream in = new VerifyingInputStream(broken, "w.bin", null, 100);
        CairnException e = catchThrowableOfType(CairnException.class, in::readAllBytes);
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.getMessage()).contains("broke off after 3 of 100 bytes");
    }

    @Test
    @DisplayName("skipped bytes are hashed too, so skipping cannot hide a mismatch")
    void skippingStillVerifies() throws Exception {
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream(BYTES), "w.bin", sha256("x".getBytes(StandardCharsets.UTF_8)), -1);
        assertThat(in.skip(5)).isEqualTo(5);
        assertThat(catchThrowableOfType(CairnException.class, in::readAllBytes).code()).isEqualTo(ErrorCode.DATA_LOSS);
    }
}

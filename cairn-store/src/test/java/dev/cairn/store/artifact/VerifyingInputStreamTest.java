package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VerifyingInputStreamTest {
    private static final byte[] CONTENT = "the quick brown fox".getBytes(StandardCharsets.UTF_8);

    private static InputStream verifying(byte[] actual) {
        return new VerifyingInputStream(new ByteArrayInputStream(actual), "root/file.txt", Sha256.hex(CONTENT));
    }

    @Test
    @DisplayName("matching bytes read one at a time end normally")
    void byteByByte() throws IOException {
        try (InputStream in = verifying(CONTENT)) {
            int count = 0;
            while (in.read() >= 0) count++;
            assertThat(count).isEqualTo(CONTENT.length);
            assertThat(in.read()).as("reading past the end again stays quiet").isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("skipped bytes are hashed too, so corruption inside a skipped range is still caught")
    void skipIsVerified() {
        byte[] corrupt = CONTENT.clone();
        corrupt[2] = 'X';
        InputStream in = verifying(corrupt);
        CairnException e = catchThrowableOfType(CairnException.class, () -> {
            in.skip(10);
            in.readAllBytes();
        });
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.details()).containsEntry("path", "root/file.txt")
                .containsEntry("expected_sha256", Sha256.hex(CONTENT))
                .containsEntry("actual_sha256", Sha256.hex(corrupt));
    }

    @Test
    @DisplayName("truncated content fails at its end; a reader that stops early is not accused")
    void truncationAndEarlyClose() throws IOException {
        byte[] truncated = java.util.Arrays.copyOf(CONTENT, 5);
        InputStream in = verifying(truncated);
        assertThat(catchThrowableOfType(CairnException.class, in::readAllBytes).code()).isEqualTo(ErrorCode.DATA_LOSS);

        try (InputStream partial = verifying(CONTENT)) {
            assertThat(partial.readNBytes(3)).hasSize(3);
        }
    }
}

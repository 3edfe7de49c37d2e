package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class CairnConnectionTest {

    @Test
    void aUrlThatIsNotHttpIsRefusedByName() {
        assertThatThrownBy(() -> Cairn.connect("localhost:5000"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.details()).containsEntry("field", "url");
                });
    }

    @Test
    void aServerThatIsNotThereIsTemporarilyUnavailable() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        Cairn cairn = Cairn.connect("http://127.0.0.1:" + freePort);
        assertThatThrownBy(() -> cairn.getRun("abc"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + freePort);
                });
    }

    @Test
    void pathSegmentsAreEncodedButSlashesKept() {
        assertThat(RestClient.encodePath("model dir/weights #1.bin")).isEqualTo("model%20dir/weights%20%231.bin");
        assertThat(RestClient.encode("credit risk/v2")).isEqualTo("credit%20risk%2Fv2");
    }
}

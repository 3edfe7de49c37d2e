package dev.cairn.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.server.ServerOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --shared-dir} and {@code --refresh-interval}: parsed, absent by default, refused by name when wrong. */
class ScaleOutOptionsTest {

    @Test
    void sharedDirectoryAndRefreshIntervalAreParsedAndAbsentByDefault() {
        ServerOptions alone = ServerOptions.parse(List.of());
        assertThat(alone.sharedDir()).isNull();
        assertThat(alone.refreshInterval()).isNull();
        ServerOptions several = ServerOptions.parse(List.of("--shared-dir", "/mnt/cairn", "--refresh-interval=2s"));
        assertThat(several.sharedDir()).isEqualTo("/mnt/cairn");
        assertThat(several.refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        // Kept through the other options' copies.
        assertThat(several.withAuth(several.auth()).withTls(null).withData(List.of(), java.util.Map.of()).sharedDir()).isEqualTo("/mnt/cairn");
    }

    @Test
    void aRefreshIntervalThatIsNoneOrNotADurationIsRefusedByName() {
        for (String bad : List.of("soon", "0s", "-PT5S")) {
            assertThatThrownBy(() -> ServerOptions.parse(List.of("--refresh-interval", bad))).as(bad)
                    .isInstanceOf(CairnException.class).hasMessageContaining("--refresh-interval");
        }
    }
}

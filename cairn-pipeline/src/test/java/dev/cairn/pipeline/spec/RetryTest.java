package dev.cairn.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {
    @Test
    void theWaitGrowsByTheFactorUpToTheCap() {
        Retry r = new Retry(6, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60));
        assertThat(r.delayBefore(1)).isEqualTo(Duration.ZERO);
        assertThat(r.delayBefore(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.delayBefore(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(r.delayBefore(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(r.delayBefore(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.delayBefore(6)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badRetriesAreRefused() {
        assertThatThrownBy(() -> new Retry(0, Duration.ZERO, 2, Duration.ZERO)).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> new Retry(2, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1))).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> new Retry(2, Duration.ofSeconds(10), 2, Duration.ofSeconds(1)))
                .isInstanceOf(CairnException.class).hasMessageContaining("retry.max_backoff");
    }
}

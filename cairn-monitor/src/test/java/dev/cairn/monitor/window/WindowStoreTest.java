package dev.cairn.monitor.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowStoreTest {
    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    @TempDir
    Path dir;

    static long day(int i) {
        return T0.plus(Duration.ofDays(i)).toEpochMilli();
    }

    static WindowState window(String version, int day, long rows) {
        return new WindowState("credit", "credit-risk", version, day(day), day(day + 1), rows, 0, Map.of(), rows, Map.of(), null,
                null, List.of("segment-" + day));
    }

    @Test
    void aRangeReadsOnlyTheWindowsThatOverlapIt() {
        WindowStore store = new WindowStore(dir);
        for (int d = 0; d < 5; d++) store.save(WindowSize.DAY, window("1", d, 100 + d));
        store.save(WindowSize.DAY, window("2", 3, 7));

        assertThat(store.load("credit", WindowSize.DAY)).hasSize(6);
        // [day 3, day 4): the day-3 windows of both versions; a window ending at the range's start is outside it.
        assertThat(store.load("credit", WindowSize.DAY, day(3), day(4)))
                .extracting(w -> w.modelVersion() + "@" + (w.start() - day(0)) / Duration.ofDays(1).toMillis())
                .containsExactly("1@3", "2@3");
        // Open-ended: from the middle of day 2 on.
        assertThat(store.load("credit", WindowSize.DAY, day(2) + 1, Long.MAX_VALUE)).extracting(WindowState::rows)
                .containsExactly(102L, 103L, 7L, 104L);
    }
}

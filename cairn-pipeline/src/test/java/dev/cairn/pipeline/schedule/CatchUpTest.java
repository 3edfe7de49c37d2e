package dev.cairn.pipeline.schedule;

import static dev.cairn.pipeline.schedule.CronScheduleTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CronSchedule#due}: what runs after downtime under each {@link CatchUp} policy. */
class CatchUpTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final CronSchedule nightly = CronSchedule.parse("0 2 * * *", UTC);
    private final Instant lastFired = at("2024-01-10T02:00:00Z");
    private final Instant now = at("2024-01-13T05:00:00Z");

    @Test
    void allRunsEveryMissedTimeOldestFirstUpToTheLimit() {
        assertThat(nightly.due(lastFired, now, CatchUp.ALL, 10))
                .containsExactly(at("2024-01-11T02:00:00Z"), at("2024-01-12T02:00:00Z"), at("2024-01-13T02:00:00Z"));
        List<Instant> first = nightly.due(lastFired, now, CatchUp.ALL, 2);
        assertThat(first).containsExactly(at("2024-01-11T02:00:00Z"), at("2024-01-12T02:00:00Z"));
        assertThat(nightly.due(first.getLast(), now, CatchUp.ALL, 2)).containsExactly(at("2024-01-13T02:00:00Z"));
    }

    @Test
    void latestRunsOnlyTheMostRecentMissedTime() {
        assertThat(nightly.due(lastFired, now, CatchUp.LATEST, 10)).containsExactly(at("2024-01-13T02:00:00Z"));
    }

    @Test
    void noneDropsMissedTimesButRunsOneThatIsDueNow() {
        assertThat(nightly.due(lastFired, now, CatchUp.NONE, 10)).isEmpty();
        assertThat(nightly.due(lastFired, at("2024-01-13T02:00:30Z"), CatchUp.NONE, 10)).containsExactly(at("2024-01-13T02:00:00Z"));
        assertThat(nightly.due(lastFired, at("2024-01-13T02:01:00Z"), CatchUp.NONE, 10)).containsExactly(at("2024-01-13T02:00:00Z"));
        assertThat(nightly.due(lastFired, at("2024-01-13T02:01:01Z"), CatchUp.NONE, 10)).isEmpty();
        assertThat(nightly.due(lastFired, now, CatchUp.NONE, 10, Duration.ofHours(4)))
                .containsExactly(at("2024-01-13T02:00:00Z"));
    }

    @Test
    void nothingIsDueBeforeTheNextTimeOrWhenTheClockIsBehind() {
        for (CatchUp policy : CatchUp.values()) {
            assertThat(nightly.due(lastFired, at("2024-01-11T01:59:59Z"), policy, 10)).isEmpty();
            assertThat(nightly.due(lastFired, lastFired, policy, 10)).isEmpty();
            assertThat(nightly.due(lastFired, lastFired.minusSeconds(60), policy, 10)).isEmpty();
        }
        // The fire time itself is due at that instant.
        assertThat(nightly.due(lastFired, at("2024-01-11T02:00:00Z"), CatchUp.NONE, 10)).containsExactly(at("2024-01-11T02:00:00Z"));
    }

    @Test
    void latestFindsTheLastTimeOfALongDowntimeWithoutWalkingEveryMinute() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", UTC);
        assertThat(everyMinute.due(at("2020-01-01T00:00:00Z"), at("2024-06-15T12:34:56Z"), CatchUp.LATEST, 1))
                .containsExactly(at("2024-06-15T12:34:00Z"));
        CronSchedule yearly = CronSchedule.parse("@yearly", UTC);
        assertThat(yearly.due(at("2020-01-01T00:00:00Z"), at("2024-06-01T00:00:00Z"), CatchUp.LATEST, 1))
                .containsExactly(at("2024-01-01T00:00:00Z"));
        CronSchedule leap = CronSchedule.parse("0 0 29 2 *", UTC);
        assertThat(leap.due(at("2001-01-01T00:00:00Z"), at("2024-02-28T00:00:00Z"), CatchUp.LATEST, 1))
                .containsExactly(at("2020-02-29T00:00:00Z"));
    }

    @Test
    void latestSeesTheSecondOccurrenceOfARepeatedHour() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", BERLIN);
        assertThat(hourly.due(at("2024-10-27T00:00:00Z"), at("2024-10-27T01:30:00Z"), CatchUp.LATEST, 1))
                .containsExactly(at("2024-10-27T01:00:00Z"));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> nightly.due(lastFired, now, CatchUp.ALL, 0))
                .isInstanceOf(CairnException.class).hasMessageContaining("'limit'");
    }

    @Test
    void policiesParseByTheirSpecNames() {
        assertThat(CatchUp.parse("catch_up", "Latest")).isEqualTo(CatchUp.LATEST);
        assertThat(CatchUp.parse("catch_up", "all")).isEqualTo(CatchUp.ALL);
        assertThat(CatchUp.parse("catch_up", "none")).isEqualTo(CatchUp.NONE);
        assertThatThrownBy(() -> CatchUp.parse("catch_up", "some"))
                .isInstanceOf(CairnException.class).hasMessageContaining("latest, all, none");
    }
}

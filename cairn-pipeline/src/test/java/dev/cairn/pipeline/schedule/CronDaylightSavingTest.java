package dev.cairn.pipeline.schedule;

import static dev.cairn.pipeline.schedule.CronScheduleTest.at;
import static dev.cairn.pipeline.schedule.CronScheduleTest.fires;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fire times across daylight-saving changes: the rule of {@link CronSchedule}'s class comment. */
class CronDaylightSavingTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    // Berlin: 2024-03-31 02:00 CET -> 03:00 CEST (01:00Z); 2024-10-27 03:00 CEST -> 02:00 CET (01:00Z).
    // New York: 2024-03-10 02:00 EST -> 03:00 EDT (07:00Z); 2024-11-03 02:00 EDT -> 01:00 EST (06:00Z).

    @Test
    void berlinSpringForwardRunsASkippedFixedTimeOnceAtTheEndOfTheGap() {
        CronSchedule cron = CronSchedule.parse("30 2 * * *", BERLIN);
        ZonedDateTime before = ZonedDateTime.of(2024, 3, 30, 2, 30, 0, 0, BERLIN);
        ZonedDateTime spring = cron.next(before);
        assertThat(spring).isEqualTo(ZonedDateTime.of(2024, 3, 31, 3, 0, 0, 0, BERLIN));
        assertThat(spring.getOffset()).isEqualTo(ZoneOffset.ofHours(2));
        assertThat(cron.next(spring)).isEqualTo(ZonedDateTime.of(2024, 4, 1, 2, 30, 0, 0, BERLIN));
    }

    @Test
    void severalTimesInTheGapAndTheGapsEndFireOnce() {
        CronSchedule cron = CronSchedule.parse("0,30 2,3 * * *", BERLIN);
        List<Instant> fires = fires(cron, "2024-03-30T23:00:00Z", 3);
        // 02:00, 02:30 and 03:00 all land on 03:00 CEST (01:00Z): one run; then 03:30 CEST.
        assertThat(fires).containsExactly(at("2024-03-31T01:00:00Z"), at("2024-03-31T01:30:00Z"),
                at("2024-04-01T00:00:00Z"));
    }

    @Test
    void berlinSpringForwardSkipsGapTimesOfAWildcardSchedule() {
        CronSchedule cron = CronSchedule.parse("30 * * * *", BERLIN);
        // 01:30 CET (00:30Z), then 02:30 does not exist, then 03:30 CEST (01:30Z): an hour of real time apart.
        assertThat(fires(cron, "2024-03-31T00:00:00Z", 2)).containsExactly(at("2024-03-31T00:30:00Z"), at("2024-03-31T01:30:00Z"));
    }

    @Test
    void berlinFallBackRunsARepeatedFixedTimeOnceAtItsFirstOccurrence() {
        CronSchedule cron = CronSchedule.parse("30 2 * * *", BERLIN);
        List<Instant> fires = fires(cron, "2024-10-26T00:00:00Z", 3);
        assertThat(fires).containsExactly(at("2024-10-26T00:30:00Z"), at("2024-10-27T00:30:00Z"), at("2024-10-28T01:30:00Z"));
        // Asked from within the repeated hour (02:15 CET, after the first 02:30), it waits for the next day.
        assertThat(cron.next(at("2024-10-27T01:15:00Z"))).isEqualTo(at("2024-10-28T01:30:00Z"));
    }

    @Test
    void berlinFallBackRunsAWildcardScheduleAtBothOccurrences() {
        CronSchedule cron = CronSchedule.parse("0 * * * *", BERLIN);
        // 01:00 CEST, 02:00 CEST, 02:00 CET, 03:00 CET: every hour of real time.
        assertThat(fires(cron, "2024-10-26T22:30:00Z", 4)).containsExactly(at("2024-10-26T23:00:00Z"),
                at("2024-10-27T00:00:00Z"), at("2024-10-27T01:00:00Z"), at("2024-10-27T02:00:00Z"));
        // From inside the repeated hour too.
        assertThat(cron.next(at("2024-10-27T00:30:00Z"))).isEqualTo(at("2024-10-27T01:00:00Z"));
        assertThat(cron.next(at("2024-10-27T01:00:00Z"))).isEqualTo(at("2024-10-27T02:00:00Z"));
    }

    @Test
    void everyThirtyMinutesKeepsRealTimeAcrossBothChanges() {
        CronSchedule cron = CronSchedule.parse("*/30 * * * *", BERLIN);
        for (String start : List.of("2024-03-30T22:00:00Z", "2024-10-26T22:00:00Z")) {
            Instant from = at(start);
            List<Instant> fires = cron.due(from, from.plusSeconds(6 * 3600), CatchUp.ALL, 100);
            assertThat(fires).hasSize(12);
            for (int i = 0; i < fires.size(); i++) assertThat(fires.get(i)).isEqualTo(from.plusSeconds(1800L * (i + 1)));
        }
    }

    @Test
    void newYorkSpringForwardAndFallBack() {
        CronSchedule skipped = CronSchedule.parse("30 2 * * *", NEW_YORK);
        assertThat(skipped.next(ZonedDateTime.of(2024, 3, 9, 2, 30, 0, 0, NEW_YORK)))
                .isEqualTo(ZonedDateTime.of(2024, 3, 10, 3, 0, 0, 0, NEW_YORK));
        assertThat(skipped.next(at("2024-03-10T07:00:00Z"))).isEqualTo(at("2024-03-11T06:30:00Z"));

        CronSchedule repeated = CronSchedule.parse("30 1 * * *", NEW_YORK);
        assertThat(fires(repeated, "2024-11-02T05:30:00Z", 2))
                .containsExactly(at("2024-11-03T05:30:00Z"), at("2024-11-04T06:30:00Z"));

        CronSchedule midnight = CronSchedule.parse("0 0 * * *", NEW_YORK);
        assertThat(fires(midnight, "2024-03-09T17:00:00Z", 2))
                .containsExactly(at("2024-03-10T05:00:00Z"), at("2024-03-11T04:00:00Z"));

        CronSchedule quarterHours = CronSchedule.parse("*/15 1 * * *", NEW_YORK);
        // A wildcard minute: the repeated 01:00-01:59 fires at both occurrences (8 runs, not 4).
        assertThat(quarterHours.due(at("2024-11-03T04:00:00Z"), at("2024-11-03T08:00:00Z"), CatchUp.ALL, 100))
                .containsExactly(at("2024-11-03T05:00:00Z"), at("2024-11-03T05:15:00Z"), at("2024-11-03T05:30:00Z"),
                        at("2024-11-03T05:45:00Z"), at("2024-11-03T06:00:00Z"), at("2024-11-03T06:15:00Z"),
                        at("2024-11-03T06:30:00Z"), at("2024-11-03T06:45:00Z"));
    }

    @Test
    void aNightlyJobRunsExactlyOncePerLocalDayForAWholeYear() {
        for (ZoneId zone : List.of(BERLIN, NEW_YORK)) {
            CronSchedule cron = CronSchedule.parse("30 2 * * *", zone);
            Instant from = LocalDate.of(2024, 1, 1).atStartOfDay(zone).toInstant();
            Instant to = LocalDate.of(2025, 1, 1).atStartOfDay(zone).toInstant();
            List<Instant> fires = cron.due(from, to, CatchUp.ALL, 1000);
            assertThat(fires).hasSize(366);
            Set<LocalDate> days = new HashSet<>();
            for (Instant f : fires) days.add(f.atZone(zone).toLocalDate());
            assertThat(days).hasSize(366);
        }
    }

    @Test
    void anHourlyJobRunsOncePerHourOfRealTimeForAWholeYear() {
        CronSchedule cron = CronSchedule.parse("@hourly", BERLIN);
        Instant from = at("2023-12-31T23:00:00Z"); // midnight in Berlin
        Instant to = at("2024-12-31T23:00:00Z");
        List<Instant> fires = cron.due(from, to, CatchUp.ALL, 10_000);
        assertThat(fires).hasSize(366 * 24);
        for (int i = 1; i < fires.size(); i++) assertThat(fires.get(i)).isEqualTo(fires.get(i - 1).plusSeconds(3600));
    }
}

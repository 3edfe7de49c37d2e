package dev.cairn.pipeline.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Next fire times of many expressions, and the errors of bad ones. */
class CronScheduleTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static List<Instant> fires(CronSchedule cron, String after, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = at(after);
        for (int i = 0; i < n; i++) out.add(t = cron.next(t));
        return out;
    }

    // 2024-01-01 was a Monday; 2024 is a leap year.
    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0 2 * * *           | 2024-01-15T10:00:00Z     | 2024-01-16T02:00:00Z",
            "0 2 * * *           | 2024-01-16T01:59:59.999Z | 2024-01-16T02:00:00Z",
            "0 2 * * *           | 2024-01-16T02:00:00Z     | 2024-01-17T02:00:00Z",
            "0 2 * * *           | 2024-12-31T02:00:00Z     | 2025-01-01T02:00:00Z",
            "* * * * *           | 2024-01-16T02:00:30Z     | 2024-01-16T02:01:00Z",
            "*/15 * * * *        | 2024-01-15T10:07:00Z     | 2024-01-15T10:15:00Z",
            "*/15 * * * *        | 2024-01-15T10:45:00Z     | 2024-01-15T11:00:00Z",
            "5/20 * * * *        | 2024-01-15T10:45:00Z     | 2024-01-15T11:05:00Z",
            "10-20/5 3 * * *     | 2024-01-15T03:16:00Z     | 2024-01-15T03:20:00Z",
            "10-20/5 3 * * *     | 2024-01-15T03:20:00Z     | 2024-01-16T03:10:00Z",
            "0 9-17/2 * * MON-FRI | 2024-01-13T12:00:00Z    | 2024-01-15T09:00:00Z",
            "0 9-17/2 * * MON-FRI | 2024-01-15T09:00:00Z    | 2024-01-15T11:00:00Z",
            "0 9-17/2 * * MON-FRI | 2024-01-15T17:00:00Z    | 2024-01-16T09:00:00Z",
            "0 9-17/2 * * mon-fri | 2024-01-19T17:00:00Z    | 2024-01-22T09:00:00Z",
            "0 0 1 jan,JUL *     | 2024-02-01T00:00:00Z     | 2024-07-01T00:00:00Z",
            "0 0 1 1-12/3 *      | 2024-02-01T00:00:00Z     | 2024-04-01T00:00:00Z",
            // Month ends: the 31st skips the months without one.
            "0 0 31 * *          | 2024-01-31T00:00:00Z     | 2024-03-31T00:00:00Z",
            "0 0 31 * *          | 2024-03-31T00:00:00Z     | 2024-05-31T00:00:00Z",
            "0 0 30 * *          | 2024-01-30T00:00:00Z     | 2024-03-30T00:00:00Z",
            "59 23 28-31 2 *     | 2023-02-28T23:59:00Z     | 2024-02-28T23:59:00Z",
            "59 23 28-31 2 *     | 2024-02-28T23:59:00Z     | 2024-02-29T23:59:00Z",
            // Leap years: 2100 is not one, so 29 February skips from 2096 to 2104.
            "0 0 29 2 *          | 2024-03-01T00:00:00Z     | 2028-02-29T00:00:00Z",
            "0 0 29 2 *          | 2096-03-01T00:00:00Z     | 2104-02-29T00:00:00Z",
            // Sunday is 0 and 7, and SUN.
            "0 12 * * 0          | 2024-01-15T00:00:00Z     | 2024-01-21T12:00:00Z",
            "0 12 * * 7          | 2024-01-15T00:00:00Z     | 2024-01-21T12:00:00Z",
            "0 12 * * SUN        | 2024-01-15T00:00:00Z     | 2024-01-21T12:00:00Z",
            "0 12 * * 5-7        | 2024-01-20T12:00:00Z     | 2024-01-21T12:00:00Z",
            "0 12 * * 5-7        | 2024-01-21T12:00:00Z     | 2024-01-26T12:00:00Z",
            "0 12 * * 6,0        | 2024-01-15T00:00:00Z     | 2024-01-20T12:00:00Z",
            // Both day fields restricted: either matches (Vixie). 2024-09-13 is a Friday the 13th.
            "0 0 13 * FRI        | 2024-09-01T00:00:00Z     | 2024-09-06T00:00:00Z",
            "0 0 13 * FRI        | 2024-09-06T00:00:00Z     | 2024-09-13T00:00:00Z",
            "0 0 13 * FRI        | 2024-09-13T00:00:00Z     | 2024-09-20T00:00:00Z",
            "0 0 1 * MON         | 2024-09-24T00:00:00Z     | 2024-09-30T00:00:00Z",
            "0 0 1 * MON         | 2024-09-30T00:00:00Z     | 2024-10-01T00:00:00Z",
            // A day field starting with * is unrestricted even with a step: both must match (odd days, Fridays).
            "0 0 */2 * FRI       | 2024-09-01T00:00:00Z     | 2024-09-13T00:00:00Z",
            // Aliases.
            "@hourly             | 2024-01-15T10:00:00Z     | 2024-01-15T11:00:00Z",
            "@daily              | 2024-01-15T10:00:00Z     | 2024-01-16T00:00:00Z",
            "@midnight           | 2024-01-15T10:00:00Z     | 2024-01-16T00:00:00Z",
            "@weekly             | 2024-01-15T10:00:00Z     | 2024-01-21T00:00:00Z",
            "@monthly            | 2024-01-15T10:00:00Z     | 2024-02-01T00:00:00Z",
            "@yearly             | 2024-01-15T10:00:00Z     | 2025-01-01T00:00:00Z",
            "@ANNUALLY           | 2024-01-15T10:00:00Z     | 2025-01-01T00:00:00Z"})
    void nextFireTimes(String expression, String after, String expected) {
        assertThat(CronSchedule.parse(expression, UTC).next(at(after))).isEqualTo(at(expected));
    }

    @Test
    void nextIsInTheSchedulesZoneWhateverZoneTheArgumentIsIn() {
        CronSchedule cron = CronSchedule.parse("0 2 * * *", BERLIN);
        ZonedDateTime after = ZonedDateTime.of(2024, 1, 15, 12, 0, 0, 0, NEW_YORK); // 18:00 in Berlin
        assertThat(cron.next(after)).isEqualTo(ZonedDateTime.of(2024, 1, 16, 2, 0, 0, 0, BERLIN));
    }

    @Test
    void aZoneShiftsTheWallClock() {
        // 02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer.
        CronSchedule cron = CronSchedule.parse("0 2 * * *", BERLIN);
        assertThat(cron.next(at("2024-01-15T12:00:00Z"))).isEqualTo(at("2024-01-16T01:00:00Z"));
        assertThat(cron.next(at("2024-07-15T12:00:00Z"))).isEqualTo(at("2024-07-16T00:00:00Z"));
    }

    @Test
    void expressionAndZoneAreKeptAndNameTheSchedule() {
        CronSchedule cron = CronSchedule.parse("  0 2 * * *  ", BERLIN);
        assertThat(cron.expression()).isEqualTo("0 2 * * *");
        assertThat(cron.zone()).isEqualTo(BERLIN);
        assertThat(cron).isEqualTo(CronSchedule.parse("0 2 * * *", BERLIN)).isNotEqualTo(CronSchedule.parse("0 2 * * *", UTC));
        assertThat(cron.fixedTime()).isTrue();
        assertThat(CronSchedule.parse("@hourly", UTC).fixedTime()).isFalse();
        assertThat(CronSchedule.parse("*/5 2 * * *", UTC).fixedTime()).isFalse();
    }


    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0 25 * * *      | cron field 'hour': 25 is outside 0-23 (in '0 25 * * *')",
            "60 * * * *      | cron field 'minute': 60 is outside 0-59",
            "0 0 0 * *       | cron field 'day-of-month': 0 is outside 1-31",
            "0 0 32 * *      | cron field 'day-of-month': 32 is outside 1-31",
            "0 0 * 13 *      | cron field 'month': 13 is outside 1-12",
            "0 0 * * 8       | cron field 'day-of-week': 8 is outside 0-7",
            "0 0 * JANN *    | cron field 'month': 'JANN' is neither a number in 1-12 nor a name (JAN-DEC)",
            "0 0 * * FUN     | cron field 'day-of-week': 'FUN' is neither a number in 0-7 nor a name (SUN-SAT)",
            "0 x * * *       | cron field 'hour': 'x' is not a number in 0-23",
            "5-2 * * * *     | cron field 'minute': range 5-2 goes backwards",
            "*/0 * * * *     | cron field 'minute': step 0 in '*/0' is outside 1-60",
            "*/a * * * *     | cron field 'minute': step 'a' in '*/a' is not a whole number",
            "1,,2 * * * *    | cron field 'minute': '1,,2' has an empty item in its list",
            "0 0 ? * MON     | cron field 'day-of-month': '?' uses Quartz syntax",
            "0 0 L * *       | cron field 'day-of-month': 'L' uses Quartz syntax",
            "0 0 30 2 *      | cron field 'day-of-month': 30 never occurs in month 2, so the schedule never fires",
            "0 0 31 4,6,9 *  | never occurs in month 4,6,9",
            "0 2 * *         | '0 2 * *' has 4 fields; expected five fields",
            "0 0 2 * * *     | has 6 fields (seconds are not supported)",
            "@reboot         | unknown alias '@reboot'"})
    void badExpressionsNameTheFieldAndTheValue(String expression, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, UTC))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @Test
    void anEmptyExpressionIsRefused() {
        assertThatThrownBy(() -> CronSchedule.parse(" ", UTC)).isInstanceOf(CairnException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> CronSchedule.parse(null, UTC)).isInstanceOf(CairnException.class).hasMessageContaining("empty");
    }

    @Test
    void theErrorDetailsNameTheField() {
        assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *", UTC))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).details())
                        .containsEntry("field", "cron.hour").containsEntry("value", "0 25 * * *"));
    }

    @Test
    void zonesAreIanaNamesAndMistakesSayWhatWasMeant() {
        assertThat(CronSchedule.zone("timezone", "Europe/Berlin")).isEqualTo(BERLIN);
        assertThat(CronSchedule.zone("timezone", "UTC")).isEqualTo(UTC);
        assertThatThrownBy(() -> CronSchedule.zone("timezone", "Europe/Berln"))
                .isInstanceOf(CairnException.class).hasMessageContaining("'Europe/Berln'").hasMessageContaining("'timezone'");
        assertThatThrownBy(() -> CronSchedule.zone("timezone", "europe/berlin"))
                .isInstanceOf(CairnException.class).hasMessageContaining("did you mean Europe/Berlin?");
    }
}

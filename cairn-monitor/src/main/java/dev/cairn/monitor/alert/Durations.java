package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The duration grammar of alert files: {@code hour}, {@code day}, {@code week}, or an ISO-8601 duration
 * of fixed length ({@code PT6H}, {@code P2D}, {@code P1DT12H}, {@code P1W}). Months and years are refused:
 * they have no fixed length, and window arithmetic must not depend on the calendar.
 */
final class Durations {
    static final String EXPECTED = "hour, day, week or a fixed-length ISO-8601 duration such as PT6H, P2D or P1W";
    private static final Map<String, Duration> WORDS = Map.of(
            "hour", Duration.ofHours(1), "day", Duration.ofDays(1), "week", Duration.ofDays(7));

    private Durations() {}

    /** The duration {@code text} names, or an error naming {@code field}; never negative. */
    static Duration parse(String field, String text) {
        if (text == null || text.isBlank()) throw CairnException.invalid(field, text, EXPECTED);
        String t = text.strip();
        Duration word = WORDS.get(t.toLowerCase(Locale.ROOT));
        if (word != null) return word;
        Duration d = iso(t.toUpperCase(Locale.ROOT));
        if (d == null || d.isNegative()) throw CairnException.invalid(field, text, EXPECTED);
        return d;
    }

    private static Duration iso(String t) {
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException notDuration) {
            // Duration has no weeks; Period does, and days and weeks are of fixed length.
        }
        try {
            Period p = Period.parse(t);
            if (p.getYears() != 0 || p.getMonths() != 0) return null;
            return Duration.ofDays(p.getDays());
        } catch (DateTimeParseException notPeriod) {
            return null;
        }
    }
}

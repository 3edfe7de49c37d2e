package dev.cairn.monitor.window;

import dev.cairn.core.error.CairnException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How long a monitoring window is: {@code hour}, {@code day}, {@code week} (Monday to Monday, UTC) or an
 * ISO-8601 duration ({@code PT6H}, {@code PT15M}) from one minute to 31 days. Windows are aligned in UTC
 * (a day window starts at midnight UTC; a duration window at a multiple of the duration since the epoch),
 * so every server and every rerun cuts the same windows.
 */
public record WindowSize(String name, Duration duration) {
    public static final WindowSize HOUR = new WindowSize("hour", Duration.ofHours(1));
    public static final WindowSize DAY = new WindowSize("day", Duration.ofDays(1));
    public static final WindowSize WEEK = new WindowSize("week", Duration.ofDays(7));

    /** Monday 1970-01-05, the first Monday after the epoch: weeks are counted from it. */
    private static final long FIRST_MONDAY = LocalDate.of(1970, 1, 5).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1000;

    public static WindowSize parse(String text) {
        if (text == null || text.isBlank()) return DAY;
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "hour", "hourly", "1h" -> { return HOUR; }
            case "day", "daily", "1d" -> { return DAY; }
            case "week", "weekly", "1w" -> { return WEEK; }
            default -> { }
        }
        Duration d;
        try {
            d = Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw CairnException.invalid("window", text, "hour, day, week or an ISO-8601 duration such as PT6H");
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(31)) > 0 || d.toMillis() % 1000 != 0) {
            throw CairnException.invalid("window", text, "a duration from PT1M to P31D in whole seconds");
        }
        return new WindowSize(d.toString(), d);
    }

    /** The start of the window holding {@code time}. */
    public Instant start(Instant time) {
        return Instant.ofEpochMilli(startMillis(time.toEpochMilli()));
    }

    public long startMillis(long millis) {
        long size = duration.toMillis();
        long origin = this.equals(WEEK) ? FIRST_MONDAY : 0;
        return Math.floorDiv(millis - origin, size) * size + origin;
    }

    public Instant end(Instant start) {
        return start.plus(duration);
    }

    /** SQL for the start (epoch milliseconds) of the window of a DuckDB TIMESTAMP expression. */
    public String startSql(String timestampSql) {
        long size = duration.toMillis();
        long origin = this.equals(WEEK) ? FIRST_MONDAY : 0;
        return "((floor((epoch_ms(" + timestampSql + ") - " + origin + ") / " + size + ")::BIGINT) * " + size + " + " + origin + ")";
    }

    @Override
    public String toString() {
        return name;
    }

    static {
        // The first Monday really is one; a cheap guard for the arithmetic above.
        assert LocalDate.of(1970, 1, 5).getDayOfWeek() == DayOfWeek.MONDAY;
    }
}

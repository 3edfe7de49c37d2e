package dev.cairn.pipeline.schedule;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.schedule.CronField.Kind;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A standard five-field cron schedule ({@code minute hour day-of-month month day-of-week}) in a time zone.
 *
 * <p>Syntax: {@code *}, values, ranges {@code a-b}, lists {@code a,b}, steps {@code *}{@code /n}, {@code a-b/n} and
 * {@code a/n} (from a to the field's end); month names {@code JAN-DEC} and day names {@code SUN-SAT} in any case;
 * Sunday is 0 or 7; the aliases {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly},
 * {@code @daily} ({@code @midnight}) and {@code @hourly}. Quartz extensions ({@code ? L W #}), seconds and
 * {@code @reboot} are refused.
 *
 * <p>Days (Vixie cron): when both day-of-month and day-of-week are restricted (neither starts with {@code *}),
 * a day matches if <em>either</em> does ({@code 0 0 1 * MON} is the 1st and every Monday); otherwise both must.
 *
 * <p>Daylight-saving changes follow Vixie cron's documented rule, which keeps "once a night" once a night:
 * <ul>
 *   <li>A <em>fixed-time</em> schedule (minute and hour fields both restricted, e.g. {@code 30 2 * * *}) fires each
 *   of its wall-clock times once. A time that does not exist (skipped by a spring-forward) fires at the first
 *   instant after the gap (02:30 on a Berlin spring-forward day fires at 03:00 CEST), once even if several of its
 *   times fell in the gap. A time that occurs twice (fall-back) fires at its first occurrence only.</li>
 *   <li>A <em>wildcard</em> schedule (minute or hour starts with {@code *}, e.g. {@code @hourly},
 *   {@code *}{@code /15 * * * *}) follows the clock as it is: times in a gap are skipped, and times in a repeated
 *   hour fire at both occurrences, so "every 15 minutes" keeps firing every 15 minutes of real time.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; equal when expression and zone are equal.
 */
public final class CronSchedule {
    /** How late a time may be and still count as on time for {@link CatchUp#NONE}, unless a grace is given. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);
    static final String EXPECTED = "five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *', "
            + "or @yearly, @monthly, @weekly, @daily, @hourly";
    private static final Map<String, String> ALIASES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    /** Far enough for any satisfiable calendar: 29 February on a given weekday recurs within 28 years. */
    private static final int MAX_DAYS = 366 * 30;

    private final String expression;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final CronField minutes;
    private final CronField hours;
    private final CronField days;
    private final CronField months;
    private final CronField weekdays;

    private CronSchedule(String expression, ZoneId zone, List<CronField> fields) {
        this.expression = expression;
        this.zone = zone;
        this.rules = zone.getRules();
        this.minutes = fields.get(0);
        this.hours = fields.get(1);
        this.days = fields.get(2);
        this.months = fields.get(3);
        this.weekdays = fields.get(4);
    }

    /**
     * Parses {@code expression} in {@code zone}; a bad expression is an error naming the field and value,
     * e.g. "cron field 'hour': 25 is outside 0-23 (in '0 25 * * *')".
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (expression == null || expression.isBlank()) throw invalid(expression, null, "the expression is empty");
        String text = expression.strip();
        String fieldsText = text;
        if (text.startsWith("@")) {
            fieldsText = ALIASES.get(text.toLowerCase(Locale.ROOT));
            if (fieldsText == null) {
                throw invalid(text, null, "unknown alias '" + text + "' (known: @yearly, @annually, @monthly, @weekly, "
                        + "@daily, @midnight, @hourly)");
            }
        }
        String[] parts = fieldsText.split("\\s+");
        if (parts.length != 5) {
            String why = parts.length == 6 ? " (seconds are not supported)" : "";
            throw invalid(text, null, "'" + text + "' has " + parts.length + " fields" + why + "; expected " + EXPECTED);
        }
        List<CronField> fields = new ArrayList<>(5);
        Kind[] kinds = Kind.values();
        try {
            for (int i = 0; i < 5; i++) fields.add(CronField.parse(kinds[i], parts[i]));
        } catch (CronField.Invalid e) {
            throw invalid(text, e.kind, e.getMessage());
        }
        CronSchedule schedule = new CronSchedule(text, zone, fields);
        schedule.checkSatisfiable();
        return schedule;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether the schedule names exact wall-clock times (see the class comment on daylight saving). */
    public boolean fixedTime() {
        return !minutes.star() && !hours.star();
    }

    /** The first fire time strictly after {@code after}, in the schedule's zone (whatever zone {@code after} is in). */
    public ZonedDateTime next(ZonedDateTime after) {
        return next(after.toInstant()).atZone(zone);
    }

    /** The first fire time strictly after {@code after}. */
    public Instant next(Instant after) {
        Objects.requireNonNull(after, "after");
        // The earliest occurrence of each wall-clock time grows with the wall-clock time, and every time up to the
        // wall clock at `after` has its earliest occurrence at or before `after`: scanning upwards from there finds
        // the next one. Wildcard schedules also fire at second occurrences in a repeated hour, looked at apart.
        LocalDateTime local = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        Instant best = null;
        LocalDate horizon = local.toLocalDate().plusDays(MAX_DAYS);
        while (true) {
            local = nextLocal(local);
            if (local == null || local.toLocalDate().isAfter(horizon)) break;
            Instant first = earliest(local);
            if (first != null && first.isAfter(after)) {
                best = first;
                break;
            }
            local = local.plusMinutes(1);
        }
        if (!fixedTime()) {
            Instant second = secondOccurrence(after, best);
            if (second != null && (best == null || second.isBefore(best))) best = second;
        }
        if (best == null) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "cron '" + expression + "' in " + zone
                    + " does not fire within " + (MAX_DAYS / 366) + " years after " + after,
                    Map.of("field", "cron", "value", expression));
        }
        return best;
    }

    /**
     * The fire times a scheduler should run now, given the last one it fired (or, if it never fired, when the
     * schedule was armed) and the current time; all times are in (lastFired, now]. {@link CatchUp#ALL}: every
     * such time, oldest first, at most {@code limit} (call again with the last one returned for the rest);
     * {@link CatchUp#LATEST}: the most recent one; {@link CatchUp#NONE}: the most recent one only if it is at most
     * {@link #DEFAULT_GRACE} old, i.e. due now rather than missed.
     */
    public List<Instant> due(Instant lastFired, Instant now, CatchUp policy, int limit) {
        return due(lastFired, now, policy, limit, DEFAULT_GRACE);
    }

    /** As {@link #due(Instant, Instant, CatchUp, int)}, with {@code grace} as how late an on-time run may be. */
    public List<Instant> due(Instant lastFired, Instant now, CatchUp policy, int limit, Duration grace) {
        Objects.requireNonNull(lastFired, "lastFired");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(grace, "grace");
        if (limit < 1) throw CairnException.invalid("limit", limit, "at least 1");
        if (grace.isNegative()) throw CairnException.invalid("grace", grace, "a duration of zero or more");
        if (!now.isAfter(lastFired)) return List.of();
        return switch (policy) {
            case ALL -> {
                List<Instant> times = new ArrayList<>();
                Instant t = lastFired;
                while (times.size() < limit) {
                    t = next(t);
                    if (t.isAfter(now)) break;
                    times.add(t);
                }
                yield List.copyOf(times);
            }
            case LATEST -> {
                Instant latest = latest(lastFired, now);
                yield latest == null ? List.of() : List.of(latest);
            }
            case NONE -> {
                Instant latest = latest(lastFired, now);
                yield latest == null || latest.isBefore(now.minus(grace)) ? List.of() : List.of(latest);
            }
        };
    }

    /** The last fire time in (after, atOrBefore], or null; bisects rather than walking every fire time. */
    Instant latest(Instant after, Instant atOrBefore) {
        Instant last = next(after);
        if (last.isAfter(atOrBefore)) return null;
        Instant top = atOrBefore;
        while (true) {
            Instant following = next(last);
            if (following.isAfter(top)) return last;
            last = following;
            // There is a later fire time within (last, top]: halve the interval it is in.
            Instant middle = last.plus(Duration.between(last, top).dividedBy(2));
            Instant probe = next(middle);
            if (probe.isAfter(top)) top = middle;
            else last = probe;
        }
    }

    /** The first matching wall-clock time at or after {@code from} (whole minutes), by calendar; null if none. */
    private LocalDateTime nextLocal(LocalDateTime from) {
        LocalDate date = from.toLocalDate();
        int hour = from.getHour();
        int minute = from.getMinute();
        for (int i = 0; i < MAX_DAYS; i++) {
            if (!months.matches(date.getMonthValue())) {
                date = date.withDayOfMonth(1).plusMonths(1);
                hour = 0;
                minute = 0;
                continue;
            }
            if (dayMatches(date)) {
                LocalTime time = firstTime(hour, minute);
                if (time != null) return date.atTime(time);
            }
            date = date.plusDays(1);
            hour = 0;
            minute = 0;
        }
        return null;
    }

    private LocalTime firstTime(int fromHour, int fromMinute) {
        for (int h = hours.next(fromHour); h >= 0; h = hours.next(h + 1)) {
            int m = minutes.next(h == fromHour ? fromMinute : 0);
            if (m >= 0) return LocalTime.of(h, m);
        }
        return null;
    }

    private boolean dayMatches(LocalDate date) {
        boolean day = days.matches(date.getDayOfMonth());
        boolean weekday = weekdays.matches(date.getDayOfWeek().getValue() % 7);
        return days.star() || weekdays.star() ? day && weekday : day || weekday;
    }

    /** The first instant a wall-clock time fires at: see the class comment for gaps and overlaps; null if never. */
    private Instant earliest(LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) return local.toInstant(offsets.getFirst());
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (offsets.isEmpty()) return fixedTime() ? transition.getInstant() : null;
        return local.toInstant(transition.getOffsetBefore());
    }

    /**
     * For wildcard schedules: the first second occurrence of a repeated wall-clock time after {@code after} and
     * before {@code best}. Only the overlap {@code after} is in, or the next one, can hold one: a later overlap's
     * times occur first, before it, and so after {@code after} but before their second occurrence.
     */
    private Instant secondOccurrence(Instant after, Instant best) {
        List<ZoneOffsetTransition> around = new ArrayList<>(2);
        ZoneOffsetTransition previous = rules.previousTransition(after.plusNanos(1));
        if (previous != null) around.add(previous);
        ZoneOffsetTransition next = rules.nextTransition(after);
        if (next != null) around.add(next);
        for (ZoneOffsetTransition t : around) {
            if (!t.isOverlap() || best != null && !t.getInstant().isBefore(best)) continue;
            Instant end = t.getInstant().plus(t.getDuration().abs());
            if (!end.isAfter(after)) continue;
            LocalDateTime local = LocalDateTime.ofInstant(after, t.getOffsetAfter()).truncatedTo(ChronoUnit.MINUTES);
            if (local.isBefore(t.getDateTimeAfter())) local = t.getDateTimeAfter();
            while (true) {
                local = nextLocal(local);
                if (local == null || !local.isBefore(t.getDateTimeBefore())) break;
                Instant second = local.toInstant(t.getOffsetAfter());
                if (second.isAfter(after)) return second;
                local = local.plusMinutes(1);
            }
        }
        return null;
    }

    /** Refuses calendars that never happen, such as 30 February, rather than searching for them forever. */
    private void checkSatisfiable() {
        if (days.star() || !weekdays.star()) return;
        for (int m = months.next(1); m >= 0; m = months.next(m + 1)) {
            int length = Month.of(m).maxLength();
            if (days.next(1) <= length) return;
        }
        throw invalid(expression, Kind.DAY_OF_MONTH, "cron field 'day-of-month': " + days.text()
                + " never occurs in month " + months.text() + ", so the schedule never fires");
    }

    private static CairnException invalid(String expression, Kind kind, String message) {
        String where = expression == null || message.contains("'" + expression + "'") ? "" : " (in '" + expression + "')";
        String text = kind == null && !message.startsWith("cron") ? "cron: " + message : message;
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, text + where,
                Map.of("field", kind == null ? "cron" : "cron." + kind.label, "value", String.valueOf(expression),
                        "expected", EXPECTED));
    }

    /** A zone from its IANA name ({@code Europe/Berlin}), {@code UTC} or an offset; an error names {@code field}. */
    public static ZoneId zone(String field, String text) {
        if (text == null || text.isBlank()) throw CairnException.invalid(field, text, "a time zone such as Europe/Berlin or UTC");
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            String hint = "";
            for (String id : ZoneId.getAvailableZoneIds()) {
                if (id.equalsIgnoreCase(text.strip())) hint = " (did you mean " + id + "?)";
            }
            throw CairnException.invalid(field, text, "a time zone such as Europe/Berlin, America/New_York or UTC" + hint);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}

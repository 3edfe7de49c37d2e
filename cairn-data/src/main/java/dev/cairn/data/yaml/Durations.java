package dev.cairn.data.yaml;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration grammar of pipeline specs and feature definitions: ISO-8601 of fixed length ({@code PT30M},
 * {@code PT10S}, {@code P1D}, {@code P1W}) or the short form of CI files ({@code 90s}, {@code 30m}, {@code 2h},
 * {@code 1d}, {@code 1h30m}, {@code 500ms}). Months and years have no fixed length and are refused.
 */
public final class Durations {
    public static final String EXPECTED = "a duration such as PT30M, P1D, 90s, 30m, 2h or 1h30m";
    private static final Pattern SHORT = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Durations() {}

    /** The duration, or null when {@code text} is not one (the caller reports where). Never negative. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) return null;
        String t = text.strip();
        try {
            if (SHORT.matcher(t).matches()) {
                Duration d = Duration.ZERO;
                Matcher m = PART.matcher(t);
                while (m.find()) {
                    long n = Long.parseLong(m.group(1));
                    d = d.plus(switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
                }
                return d;
            }
            String upper = t.toUpperCase(Locale.ROOT);
            try {
                Duration d = Duration.parse(upper);
                return d.isNegative() ? null : d;
            } catch (DateTimeParseException notDuration) {
                // Duration has no weeks; Period does, and days and weeks are of fixed length.
            }
            Period p = Period.parse(upper);
            if (p.getYears() != 0 || p.getMonths() != 0 || p.isNegative()) return null;
            return Duration.ofDays(p.getDays());
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}

package dev.cairn.pipeline.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One of the five fields of a cron expression, parsed into the set of values it matches. A field written with a
 * leading {@code *} is "unrestricted" in Vixie cron's sense (which decides how the two day fields combine and how a
 * schedule behaves across daylight-saving changes), even when a step follows ({@code *}{@code /2}).
 */
record CronField(Kind kind, String text, BitSet values, boolean star) {

    /** The fields in the order they are written, with their ranges and the names they accept. */
    enum Kind {
        MINUTE("minute", 0, 59, List.of()),
        HOUR("hour", 0, 23, List.of()),
        DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
        MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
        // 0 and 7 are both Sunday, as in every cron since Vixie's.
        DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

        final String label;
        final int min;
        final int max;
        /** Names of the values from {@link #min} upwards (months) or from 0 (days of the week). */
        final List<String> names;

        Kind(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }

        String range() {
            return min + "-" + max;
        }
    }

    /** Raised for a bad field; {@link CronSchedule} adds the expression and turns it into a CairnException. */
    static final class Invalid extends RuntimeException {
        final Kind kind;
        final String detail;

        Invalid(Kind kind, String detail) {
            super("cron field '" + kind.label + "': " + detail, null, false, false);
            this.kind = kind;
            this.detail = detail;
        }
    }

    static CronField parse(Kind kind, String text) {
        String bare = text.toUpperCase(Locale.ROOT);
        for (String name : kind.names) bare = bare.replace(name, "");
        if (bare.matches(".*[?LW#].*")) {
            throw new Invalid(kind, "'" + text + "' uses Quartz syntax (?, L, W, #), which standard cron does not have");
        }
        BitSet values = new BitSet(kind.max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) throw new Invalid(kind, "'" + text + "' has an empty item in its list");
            item(kind, item, values);
        }
        if (kind == Kind.DAY_OF_WEEK && values.get(7)) {
            values.clear(7);
            values.set(0);
        }
        return new CronField(kind, text, values, text.startsWith("*"));
    }

    boolean matches(int value) {
        return values.get(value);
    }

    /** The smallest matching value at or above {@code from}, or -1. */
    int next(int from) {
        int n = values.nextSetBit(from);
        return n > kind.max ? -1 : n;
    }

    private static void item(Kind kind, String item, BitSet values) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            String s = item.substring(slash + 1);
            if (!s.matches("[0-9]{1,9}")) throw new Invalid(kind, "step '" + s + "' in '" + item + "' is not a whole number");
            step = Integer.parseInt(s);
            int span = kind.max - kind.min + 1;
            if (step < 1 || step > span) throw new Invalid(kind, "step " + step + " in '" + item + "' is outside 1-" + span);
        }
        int low;
        int high;
        if (range.equals("*")) {
            low = kind.min;
            // */n over the days of the week counts 0-6: 7 would be a second Sunday.
            high = kind == Kind.DAY_OF_WEEK ? 6 : kind.max;
        } else {
            int dash = range.indexOf('-');
            if (dash > 0) {
                low = value(kind, range.substring(0, dash), item);
                high = value(kind, range.substring(dash + 1), item);
                if (high < low) {
                    throw new Invalid(kind, "range " + range + " goes backwards (write low-high, within " + kind.range() + ")");
                }
            } else {
                low = value(kind, range, item);
                // Vixie: "a/n" is "a-max/n".
                high = slash >= 0 ? (kind == Kind.DAY_OF_WEEK ? 6 : kind.max) : low;
            }
        }
        for (int v = low; v <= high; v += step) values.set(v);
    }

    private static int value(Kind kind, String text, String item) {
        if (text.isEmpty()) throw new Invalid(kind, "'" + item + "' is missing a value");
        if (text.matches("[0-9]{1,9}")) {
            int v = Integer.parseInt(text);
            if (v < kind.min || v > kind.max) throw new Invalid(kind, v + " is outside " + kind.range());
            return v;
        }
        if (!kind.names.isEmpty()) {
            int i = kind.names.indexOf(text.toUpperCase(Locale.ROOT));
            if (i >= 0) return kind == Kind.MONTH ? i + 1 : i;
            throw new Invalid(kind, "'" + text + "' is neither a number in " + kind.range() + " nor a name ("
                    + kind.names.getFirst() + "-" + kind.names.getLast() + ")");
        }
        throw new Invalid(kind, "'" + text + "' is not a number in " + kind.range());
    }
}

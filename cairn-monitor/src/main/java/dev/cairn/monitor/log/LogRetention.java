package dev.cairn.monitor.log;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Sql;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps the prediction log from filling the disk: segments older than {@code compactAfter} are rolled
 * into one file per day (a server rolling every 10 s writes 8,640 segments a day; one file reads far
 * faster), and files older than {@code deleteAfter} are deleted. A compacted file keeps each row's
 * segment name ({@link PredictionLogLayout#SEGMENT_COLUMN}), so monitoring, which remembers the segments
 * it has merged, neither misses nor double-counts a row. The daily file is complete on disk (written
 * under a dot-name, then renamed) before its segments are removed; a crash between the two leaves rows in
 * both, which readers resolve by preferring the plain segment.
 */
public final class LogRetention {
    private static final Pattern TIME = Pattern.compile("^(?:predictions|feedback)-(\\d{13})-");
    private static final Pattern DAILY = Pattern.compile("^daily-(\\d{8})-");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** Null durations mean never. {@code deleteAfter}, when set, must be longer than {@code compactAfter}. */
    public record Policy(Duration compactAfter, Duration deleteAfter) {
        public static final Policy DEFAULT = new Policy(Duration.ofDays(2), Duration.ofDays(90));

        /**
         * The policy from the environment: {@code CAIRN_LOG_COMPACT_AFTER} and {@code CAIRN_LOG_DELETE_AFTER}, each an
         * ISO-8601 duration ({@code P2D}, {@code PT12H}) or {@code never}; the defaults where unset.
         */
        public static Policy fromEnvironment(java.util.function.Function<String, String> env) {
            return new Policy(duration(env, "CAIRN_LOG_COMPACT_AFTER", DEFAULT.compactAfter()),
                    duration(env, "CAIRN_LOG_DELETE_AFTER", DEFAULT.deleteAfter()));
        }

        private static Duration duration(java.util.function.Function<String, String> env, String name, Duration fallback) {
            String text = env.apply(name);
            if (text == null || text.isBlank()) return fallback;
            if (text.strip().equalsIgnoreCase("never")) return null;
            try {
                return Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw CairnException.invalid(name, text, "an ISO-8601 duration such as P2D or PT12H, or never");
            }
        }

        public Policy {
            if (compactAfter != null && compactAfter.isNegative()) throw CairnException.invalid("compact_after", compactAfter, "a positive duration");
            if (deleteAfter != null && deleteAfter.isNegative()) throw CairnException.invalid("delete_after", deleteAfter, "a positive duration");
        }
    }

    public record Result(int segmentsCompacted, int dailyFilesWritten, int filesDeleted) {}

    private LogRetention() {}

    public static Result apply(Path logRoot, Policy policy, Instant now) {
        int compacted = 0, written = 0, deleted = 0;
        for (String table : List.of(PredictionLogLayout.PREDICTIONS, PredictionLogLayout.FEEDBACK)) {
            List<Path> files = PredictionLogLayout.files(logRoot, table);
            if (policy.deleteAfter() != null) {
                long cutoff = now.minus(policy.deleteAfter()).toEpochMilli();
                List<Path> kept = new ArrayList<>();
                for (Path f : files) {
                    Long time = timeOf(f);
                    if (time != null && time < cutoff) {
                        delete(f);
                        deleted++;
                    } else {
                        kept.add(f);
                    }
                }
                files = kept;
            }
            if (policy.compactAfter() != null) {
                long cutoff = now.minus(policy.compactAfter()).toEpochMilli();
                Map<LocalDate, List<Path>> byDay = new TreeMap<>();
                for (Path f : files) {
                    if (PredictionLogLayout.isCompacted(f)) continue;
                    Long time = timeOf(f);
                    if (time != null && time < cutoff) {
                        byDay.computeIfAbsent(Instant.ofEpochMilli(time).atZone(ZoneOffset.UTC).toLocalDate(), d -> new ArrayList<>()).add(f);
                    }
                }
                for (Map.Entry<LocalDate, List<Path>> day : byDay.entrySet()) {
                    compact(logRoot.resolve(table), day.getKey(), day.getValue(), now);
                    written++;
                    compacted += day.getValue().size();
                    for (Path f : day.getValue()) delete(f);
                }
            }
        }
        return new Result(compacted, written, deleted);
    }

    /** The time a file's rows were written by: a segment's roll time, or the end of a daily file's day. */
    static Long timeOf(Path f) {
        String name = f.getFileName().toString();
        Matcher m = TIME.matcher(name);
        if (m.find()) return Long.parseLong(m.group(1));
        Matcher d = DAILY.matcher(name);
        if (d.find()) return LocalDate.parse(d.group(1), DAY).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return null;
    }

    private static void compact(Path dir, LocalDate day, List<Path> segments, Instant now) {
        String name = PredictionLogLayout.DAILY_PREFIX + day.format(DAY) + "-" + String.format("%013d", now.toEpochMilli());
        Path tmp = dir.resolve("." + name + ".tmp");
        Path target = dir.resolve(name + ".parquet");
        String files = segments.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * EXCLUDE (filename), regexp_extract(filename, '([^/\\\\]+)\\.parquet$', 1) AS "
                    + PredictionLogLayout.SEGMENT_COLUMN + " FROM read_parquet(" + files + ", union_by_name = true, filename = true)) TO "
                    + Sql.literal(tmp.toString()) + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot compact the prediction log of " + day + " in " + dir + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot delete " + f + ": " + e.getMessage(), e);
        }
    }
}

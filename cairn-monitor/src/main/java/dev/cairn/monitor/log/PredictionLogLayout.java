package dev.cairn.monitor.log;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk contract of the prediction log, which servers ({@code cairn server}, {@code cairn serve})
 * and batch scoring ({@code cairn score --log-dir}) write and monitoring reads. Under the log's root:
 * <pre>
 *   predictions/predictions-&lt;millis&gt;-&lt;writer&gt;-&lt;seq&gt;.parquet   one segment per roll, any number of writers
 *   predictions/daily-&lt;yyyymmdd&gt;-&lt;millis&gt;.parquet              compacted days (old segments rolled together)
 *   feedback/feedback-….parquet                                 ground truth by request id
 * </pre>
 * A predictions segment has one row per request: {@value #PREDICTION_COLUMNS}. {@code inputs} and
 * {@code outputs} are JSON arrays (one element per scored row, in order); {@code error} is set when
 * the request was refused or failed, with {@code error_fields} the JSON array of the input fields it
 * named. A compacted file has the same columns plus {@code segment}, the name of the segment each row
 * came from, so a reader that remembers which segments it has read never counts a row twice.
 * Segments are written under a dot-name and renamed when complete, so a reader never sees half a file.
 */
public final class PredictionLogLayout {
    public static final String PREDICTIONS = "predictions";
    public static final String FEEDBACK = "feedback";
    public static final String PREDICTION_COLUMNS =
            "request_id, time, deployment, model, model_version, shadow, protocol, inputs, outputs, error, error_fields, latency_us";
    public static final String FEEDBACK_COLUMNS = "request_id, time, deployment, label, value";
    /** The extra column of a compacted file: the segment each row was first written in. */
    public static final String SEGMENT_COLUMN = "segment";
    public static final String DAILY_PREFIX = "daily-";

    private static final Pattern SEGMENT = Pattern.compile("(predictions|feedback|daily)-[A-Za-z0-9_.-]+\\.parquet");

    private PredictionLogLayout() {}

    /** A new segment's file name: time first (so names sort by when they were written), then the writer, then a counter. */
    public static String segmentName(String table, long millis, String writer, long sequence) {
        return String.format("%s-%013d-%s-%06d.parquet", table, millis, writer, sequence);
    }

    /** The complete Parquet files of {@code table} (predictions or feedback), oldest first; none when the directory is absent. */
    public static List<Path> files(Path root, String table) {
        Path dir = root.resolve(table);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot list the prediction log " + dir + ": " + e.getMessage(), e);
        }
    }

    public static boolean isCompacted(Path file) {
        return file.getFileName().toString().startsWith(DAILY_PREFIX);
    }

    /** The name a segment is known by: its file name without {@code .parquet}. */
    public static String segmentId(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".parquet".length());
    }
}

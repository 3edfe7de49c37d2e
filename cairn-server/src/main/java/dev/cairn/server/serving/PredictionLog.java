package dev.cairn.server.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.log.PredictionLogLayout;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction log: every request (or a sample), with its id, time, deployment, model version,
 * inputs, outputs and latency, and the ground-truth feedback that arrives later, as Parquet segment
 * files that DuckDB reads directly:
 * <pre>
 *   SELECT * FROM read_parquet('LOG/predictions/*.parquet') p
 *   LEFT JOIN read_parquet('LOG/feedback/*.parquet') f USING (request_id)
 * </pre>
 * The request path only offers a record to a bounded queue; one writer thread appends records to an
 * in-memory DuckDB table through appenders it keeps open (opening and closing two appenders per batch
 * was three quarters of its time under load, where a batch is the few records that arrived since the
 * last), and rolls the table into a new segment every {@code rollInterval} or {@code rollRows}. A
 * segment is written under a temporary name, forced to disk and renamed, so a reader never sees half a
 * file. When the queue is full the record is dropped and counted
 * ({@code cairn_prediction_log_dropped_total}), never silently.
 */
public final class PredictionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionLog.class);
    /** Below this many waiting records, the writer waits {@link #GATHER_NANOS} for more before appending them. */
    private static final int GATHER_RECORDS = 256;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One logged prediction request (or its shadow's answer). */
    public record Entry(String requestId, long timeMillis, String deployment, String model, String modelVersion,
                        boolean shadow, String protocol, List<Map<String, Object>> inputs, List<dev.cairn.runtime.Prediction> outputs,
                        String error, List<String> errorFields, long latencyMicros) {}

    /** A ground-truth label for an earlier request. */
    public record Feedback(String requestId, long timeMillis, String deployment, String label, Double value) {}

    private final Path root;
    private final double sampleRate;
    private final int rollRows;
    private final Duration rollInterval;
    private final BlockingQueue<Object> queue;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Counter dropped;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong segments = new AtomicLong();
    private final Thread writer;
    /** Distinguishes this process's segments from other servers' writing to the same log. */
    private final String writerId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private volatile boolean closing;
    private final Object flushLock = new Object();
    private long flushRequested;
    private long flushDone;

    public PredictionLog(Path root, int queueCapacity, double sampleRate, int rollRows, Duration rollInterval,
                         ServingMetrics metrics) {
        if (queueCapacity < 1) throw CairnException.invalid("log_queue_capacity", queueCapacity, "a positive number");
        if (!(sampleRate >= 0 && sampleRate <= 1)) throw CairnException.invalid("log_sample_rate", sampleRate, "a fraction from 0 to 1");
        this.root = root;
        this.sampleRate = sampleRate;
        this.rollRows = rollRows;
        this.rollInterval = rollInterval;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        try {
            Files.createDirectories(root.resolve("predictions"));
            Files.createDirectories(root.resolve("feedback"));
        } catch (IOException e) {
            throw CairnException.invalid("log_dir", root, "a directory the server can write: " + e.getMessage());
        }
        this.dropped = metrics.counter("cairn.prediction.log.dropped",
                "Prediction log records dropped because the log queue was full");
        metrics.gauge("cairn.prediction.log.queue.depth", "Records waiting in the prediction log queue", queue::size);
        metrics.gauge("cairn.prediction.log.written", "Records written to prediction log segments", written::get);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = connection.createStatement()) {
                // One thread: the writer is in the background of a server whose cores answer requests, and a roll's
                // COPY in parallel took more CPU in all than in one thread.
                s.execute("SET threads = 1");
                s.execute("CREATE TABLE predictions (request_id VARCHAR, time_ms BIGINT, deployment VARCHAR, model VARCHAR, "
                        + "model_version VARCHAR, shadow BOOLEAN, protocol VARCHAR, inputs VARCHAR, outputs VARCHAR, "
                        + "error VARCHAR, error_fields VARCHAR, latency_us BIGINT)");
                s.execute("CREATE TABLE feedback (request_id VARCHAR, time_ms BIGINT, deployment VARCHAR, label VARCHAR, value DOUBLE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start DuckDB for the prediction log", e);
        }
        this.writer = Thread.ofPlatform().name("cairn-prediction-log").daemon(true).unstarted(() -> run(connection));
        writer.start();
    }

    public Path root() {
        return root;
    }

    /** Whether this request should be logged (the sample decision, taken once per request). */
    public boolean sampled() {
        return sampleRate >= 1 || (sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
    }

    /** Offers an entry without waiting; false (and counted as dropped) when the queue is full. */
    public boolean offer(Entry entry) {
        if (closing || !queue.offer(entry)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /**
     * Queues an entry, waiting while the queue is full: for batch scoring, which must log every row
     * it wrote and can afford to wait, unlike a request thread.
     */
    public void put(Entry entry) {
        if (closing) throw new IllegalStateException("The prediction log is closed");
        try {
            queue.put(entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(dev.cairn.core.error.ErrorCode.INTERNAL_ERROR, "Interrupted while logging predictions", e);
        }
    }

    /** Offers feedback without waiting; false when the queue is full (the caller answers 503, the client retries). */
    public boolean offer(Feedback feedback) {
        return !closing && queue.offer(feedback);
    }

    public long droppedCount() {
        return (long) dropped.count();
    }

    public long writtenCount() {
        return written.get();
    }

    /** Writes everything queued so far into segments and returns once it is on disk. */
    public void flush() {
        long ticket;
        synchronized (flushLock) {
            ticket = ++flushRequested;
        }
        synchronized (flushLock) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (flushDone < ticket && writer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("The prediction log did not flush within 60 s");
                try {
                    flushLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run(Connection connection) {
        List<Object> batch = new ArrayList<>(4096);
        long pendingPredictions = 0;
        long pendingFeedback = 0;
        long lastRoll = System.nanoTime();
        try (connection;
             DuckDBAppender predictions = connection.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "predictions");
             DuckDBAppender feedback = connection.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "feedback")) {
            while (true) {
                long requested;
                synchronized (flushLock) {
                    requested = flushRequested;
                }
                boolean stop = closing && queue.isEmpty();
                // No interrupts to wake this thread: they would also abort its file writes. A flush or
                // close is noticed within one poll interval.
                try {
                    Object first = stop ? null : queue.poll(20, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        // Under steady traffic records arrive one at a time: gathering a few milliseconds' worth
                        // before appending wakes this thread a few hundred times a second instead of once a record.
                        if (queue.size() < GATHER_RECORDS && !closing) LockSupport.parkNanos(GATHER_NANOS);
                        // Everything queued now (the queue is bounded): so a flush requested before this poll
                        // is satisfied by this batch, even under steady traffic that never empties the queue.
                        queue.drainTo(batch);
                    }
                } catch (InterruptedException woken) {
                    Thread.currentThread().interrupt();
                    stop = true;
                }
                if (!batch.isEmpty()) {
                    long[] counts = append(predictions, feedback, batch);
                    pendingPredictions += counts[0];
                    pendingFeedback += counts[1];
                    batch.clear();
                }
                boolean flushWanted = requested > flushDoneSnapshot() || stop || closing;
                boolean due = System.nanoTime() - lastRoll >= rollInterval.toNanos();
                if (flushWanted || due || pendingPredictions >= rollRows || pendingFeedback >= rollRows) {
                    if (pendingPredictions > 0) roll(connection, predictions, "predictions");
                    if (pendingFeedback > 0) roll(connection, feedback, "feedback");
                    written.addAndGet(pendingPredictions);
                    pendingPredictions = 0;
                    pendingFeedback = 0;
                    lastRoll = System.nanoTime();
                    if (flushWanted) {
                        synchronized (flushLock) {
                            flushDone = Math.max(flushDone, requested);
                            flushLock.notifyAll();
                        }
                    }
                }
                if (stop) break;
            }
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.error("The prediction log writer failed; further records are dropped and counted", e);
            closing = true;
        } finally {
            synchronized (flushLock) {
                flushDone = Long.MAX_VALUE;
                flushLock.notifyAll();
            }
        }
    }

    private long flushDoneSnapshot() {
        synchronized (flushLock) {
            return flushDone;
        }
    }

    /** Appends a batch; the rows reach the tables when the appenders flush (at the latest, before a roll). */
    private long[] append(DuckDBAppender p, DuckDBAppender f, List<Object> batch) throws SQLException, IOException {
        long predictions = 0;
        long feedback = 0;
        for (Object item : batch) {
            if (item instanceof Entry e) {
                p.beginRow().append(e.requestId()).append(e.timeMillis()).append(e.deployment()).append(e.model())
                        .append(e.modelVersion()).append(e.shadow()).append(e.protocol())
                        .append(mapper.writeValueAsString(e.inputs()))
                        .append(e.outputs() == null ? null : mapper.writeValueAsString(e.outputs()));
                if (e.error() == null) p.appendNull();
                else p.append(e.error());
                if (e.errorFields() == null || e.errorFields().isEmpty()) p.appendNull();
                else p.append(mapper.writeValueAsString(e.errorFields()));
                p.append(e.latencyMicros()).endRow();
                predictions++;
            } else if (item instanceof Feedback fb) {
                f.beginRow().append(fb.requestId()).append(fb.timeMillis()).append(fb.deployment());
                if (fb.label() == null) f.appendNull();
                else f.append(fb.label());
                if (fb.value() == null) f.appendNull();
                else f.append(fb.value().doubleValue());
                f.endRow();
                feedback++;
            }
        }
        return new long[] {predictions, feedback};
    }

    private void roll(Connection connection, DuckDBAppender appender, String table) throws SQLException, IOException {
        appender.flush();
        String name = PredictionLogLayout.segmentName(table, System.currentTimeMillis(), writerId, segments.incrementAndGet());
        Path dir = root.resolve(table);
        Path temporary = dir.resolve("." + name + ".tmp");
        Path finalPath = dir.resolve(name);
        String columns = table.equals("predictions")
                ? "request_id, make_timestamp(time_ms * 1000) AS time, deployment, model, model_version, shadow, protocol, "
                  + "inputs, outputs, error, error_fields, latency_us"
                : "request_id, make_timestamp(time_ms * 1000) AS time, deployment, label, value";
        try (Statement s = connection.createStatement()) {
            s.execute("COPY (SELECT " + columns + " FROM " + table + ") TO '"
                    + temporary.toString().replace("'", "''") + "' (FORMAT parquet)");
            s.execute("DELETE FROM " + table);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, finalPath, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, finalPath);
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        if (closing) return;
        flush();
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

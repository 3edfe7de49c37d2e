package dev.cairn.data.profile;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Updates the KLL sketches of a profile's streamed pass on one thread of its own, while the threads that read the
 * columns go on reading. KLL updates are serialized anyway ({@link ReproducibleKll} holds one lock around each batch
 * so that its shared compaction coin is a function of the data): when the readers made them under that lock
 * themselves, each waited for the others' updates instead of fetching rows, and KLL took most of their time.
 *
 * <p>Batches are applied in the order they were handed over, so each sketch gets its column's batches in the order its
 * one reader read them, with the same boundaries: the same sketch as updating it in place. A reader hands over a full
 * buffer and gets an empty one back from a small pool ({@value #SPARE} buffers beyond the readers' own), which bounds
 * the memory in flight and makes the readers wait when the updates fall behind.
 */
final class KllFeeder implements AutoCloseable {
    private static final int SPARE = 32;

    private record Batch(KllDoublesSketch sketch, double[] values, int length) {}

    private static final Batch END = new Batch(null, null, 0);

    private final int batchSize;
    private final BlockingQueue<double[]> free = new LinkedBlockingQueue<>();
    private final BlockingQueue<Batch> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Throwable failure;

    KllFeeder(int batchSize) {
        this.batchSize = batchSize;
        for (int i = 0; i < SPARE; i++) free.add(new double[batchSize]);
        this.thread = new Thread(this::run, "cairn-profile-kll");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands over {@code full[0..batchSize)} for {@code sketch}, after the batches handed over before, and returns an
     * empty buffer of the batch size to fill next (waiting while none is free). {@code full} is the feeder's now.
     */
    double[] swap(KllDoublesSketch sketch, double[] full) throws InterruptedException {
        pending.put(new Batch(sketch, full, batchSize));
        return free.take();
    }

    /** Hands over a column's last, partial batch {@code values[0..length)}; {@code values} is the feeder's now. */
    void last(KllDoublesSketch sketch, double[] values, int length) throws InterruptedException {
        if (length > 0) pending.put(new Batch(sketch, values, length));
    }

    /** Waits until every batch handed over has been applied. */
    void finish() throws InterruptedException {
        pending.put(END);
        thread.join();
        if (failure != null) throw new CairnException(ErrorCode.INTERNAL_ERROR, "Profiling failed: " + failure, failure);
    }

    private void run() {
        try {
            while (true) {
                Batch b = pending.take();
                if (b == END) return;
                // After a failure the batches are only recycled, so no reader waits forever for a buffer.
                if (failure == null) {
                    try {
                        ReproducibleKll.update(b.sketch(), b.values(), b.length());
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                }
                if (b.values().length == batchSize) free.add(b.values());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread if {@link #finish} was not reached (a reader failed). */
    @Override
    public void close() {
        thread.interrupt();
    }
}

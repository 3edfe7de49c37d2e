package dev.cairn.cli.data;

import dev.cairn.data.source.Progress;
import java.io.PrintWriter;

/**
 * A progress bar on stderr for long inputs: silent for the first second (small inputs print
 * nothing), then redrawn at most five times a second on one line.
 */
public final class ProgressBar implements Progress {
    private static final long QUIET_MILLIS = 1000;
    private static final long REDRAW_MILLIS = 200;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long start = System.currentTimeMillis();
    private long lastDraw;
    private boolean drawn;

    public ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        long now = System.currentTimeMillis();
        if (now - start < QUIET_MILLIS || now - lastDraw < REDRAW_MILLIS) return;
        // Work that is mostly done by the time the bar would appear is not worth a bar.
        if (!drawn && total > 0 && done > total / 2) return;
        lastDraw = now;
        drawn = true;
        String line;
        if (total > 0) {
            double f = Math.min(1.0, done / (double) total);
            int filled = (int) Math.round(f * WIDTH);
            line = String.format("%-8s [%s%s] %3d%%", stage, "#".repeat(filled), " ".repeat(WIDTH - filled), Math.round(f * 100));
        } else {
            line = String.format("%-8s %,d rows", stage, done);
        }
        err.print("\r" + line);
        err.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    public synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
            drawn = false;
        }
    }

    static void clear(PrintWriter err) {
        err.flush();
    }
}

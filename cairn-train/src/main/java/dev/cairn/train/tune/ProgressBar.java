package dev.cairn.train.tune;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One line on stderr redrawn in place: trials done out of all, the best score so far, elapsed time.
 * {@link #silent()} for callers that want none.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String metric;
    private final long started = System.nanoTime();
    private int total;
    private int done;
    private double best = Double.NaN;

    public ProgressBar(PrintStream out, String metric) {
        this.out = out;
        this.metric = metric;
    }

    public static ProgressBar toStderr(String metric) {
        return new ProgressBar(System.err, metric);
    }

    public static ProgressBar silent() {
        return new ProgressBar(null, "");
    }

    public synchronized void addTotal(int more) {
        total += more;
        draw();
    }

    public synchronized void step(double bestSoFar) {
        done++;
        best = bestSoFar;
        draw();
    }

    public synchronized void finish() {
        if (out != null) out.println();
    }

    /** The current line, without the carriage return. */
    public synchronized String line() {
        int filled = total == 0 ? 0 : (int) Math.round(WIDTH * (double) done / total);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total + " trials"
                + "  best " + metric + " " + (Double.isNaN(best) ? "-" : String.format("%.4f", best))
                + String.format("  %02d:%02d", elapsed.toMinutes(), elapsed.toSecondsPart());
    }

    private void draw() {
        if (out == null) return;
        out.print("\r" + line());
        out.flush();
    }
}

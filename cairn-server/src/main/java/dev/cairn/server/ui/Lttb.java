package dev.cairn.server.ui;

import java.util.Arrays;

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last point and, from each of
 * {@code threshold - 2} buckets in between, the point that makes the largest triangle with the point kept before it
 * and the average of the next bucket. A 100,000-step loss curve drawn from 1,000 such points keeps its spikes and
 * its shape, which every-n-th sampling loses; the browser draws 1,000 points instead of freezing on 100,000.
 */
public final class Lttb {

    /** A series as two parallel arrays: x ascending. */
    public record Series(double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length");
        }

        public int size() {
            return x.length;
        }
    }

    private Lttb() {}

    /** At most {@code threshold} points of {@code series}; the series itself when it is no longer (or threshold < 3). */
    public static Series downsample(Series series, int threshold) {
        int n = series.size();
        if (threshold >= n || threshold < 3) return series;
        double[] x = series.x();
        double[] y = series.y();
        double[] outX = new double[threshold];
        double[] outY = new double[threshold];
        double every = (double) (n - 2) / (threshold - 2);
        int kept = 0;
        int a = 0;
        outX[kept] = x[0];
        outY[kept++] = y[0];
        for (int i = 0; i < threshold - 2; i++) {
            // The average of the next bucket (the last point for the last bucket) is the triangle's third corner.
            int nextStart = (int) Math.floor((i + 1) * every) + 1;
            int nextEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0;
            double avgY = 0;
            int count = nextEnd - nextStart;
            if (count <= 0) {
                avgX = x[n - 1];
                avgY = y[n - 1];
            } else {
                for (int j = nextStart; j < nextEnd; j++) {
                    avgX += x[j];
                    avgY += y[j];
                }
                avgX /= count;
                avgY /= count;
            }
            int start = (int) Math.floor(i * every) + 1;
            int end = Math.min((int) Math.floor((i + 1) * every) + 1, n - 1);
            double maxArea = -1;
            int chosen = start;
            for (int j = start; j < end; j++) {
                double area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
                if (area > maxArea) {
                    maxArea = area;
                    chosen = j;
                }
            }
            outX[kept] = x[chosen];
            outY[kept++] = y[chosen];
            a = chosen;
        }
        outX[kept] = x[n - 1];
        outY[kept++] = y[n - 1];
        return new Series(Arrays.copyOf(outX, kept), Arrays.copyOf(outY, kept));
    }
}

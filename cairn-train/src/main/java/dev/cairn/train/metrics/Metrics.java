package dev.cairn.train.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Evaluation metrics, written out rather than borrowed so that what a number means is in this file.
 * Binary labels are 0/1 with 1 the positive class; scores are the predicted probability of 1.
 */
public final class Metrics {
    private static final double EPS = 1e-15;

    private Metrics() {}

    /**
     * Area under the ROC curve from ranks (the Mann–Whitney U statistic divided by the number of
     * positive–negative pairs); tied scores share their average rank, so a tie counts half.
     * NaN when only one class is present.
     */
    public static double rocAuc(int[] labels, double[] scores) {
        int n = labels.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The best precision among thresholds whose recall is at least {@code minRecall}. Tied scores
     * are one threshold (a cut cannot separate them). NaN when there is no positive.
     */
    public static double precisionAtRecall(int[] labels, double[] scores, double minRecall) {
        int n = labels.length;
        long totalPositives = Arrays.stream(labels).filter(l -> l == 1).count();
        if (totalPositives == 0) return Double.NaN;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer k) -> scores[k]).reversed());
        double best = 0;
        long truePositives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            for (int k = i; k <= j; k++) if (labels[order[k]] == 1) truePositives++;
            double recall = (double) truePositives / totalPositives;
            double precision = (double) truePositives / (j + 1);
            if (recall >= minRecall - 1e-12) best = Math.max(best, precision);
            i = j + 1;
        }
        return best;
    }

    /** Mean negative log-likelihood of binary labels, probabilities clipped away from 0 and 1. */
    public static double logLoss(int[] labels, double[] probabilities) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = clip(probabilities[i]);
            sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return sum / labels.length;
    }

    /** Mean negative log-likelihood for classes 0..k-1; {@code probabilities[i]} has one entry per class. */
    public static double multiLogLoss(int[] labels, double[][] probabilities) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) sum -= Math.log(clip(probabilities[i][labels[i]]));
        return sum / labels.length;
    }

    /** Share of predictions equal to the label. */
    public static double accuracy(int[] labels, int[] predicted) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (labels[i] == predicted[i]) correct++;
        return (double) correct / labels.length;
    }

    /** Precision, recall and F1 of the positive class at a threshold on the score. */
    public static double[] precisionRecallF1(int[] labels, double[] scores, double threshold) {
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && labels[i] == 1) tp++;
            else if (predicted) fp++;
            else if (labels[i] == 1) fn++;
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }

    public static double rmse(double[] actual, double[] predicted) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - predicted[i];
            sum += d * d;
        }
        return Math.sqrt(sum / actual.length);
    }

    public static double mae(double[] actual, double[] predicted) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
        return sum / actual.length;
    }

    /** Coefficient of determination; NaN when the actual values are constant. */
    public static double r2(double[] actual, double[] predicted) {
        double mean = Arrays.stream(actual).average().orElse(Double.NaN);
        double residual = 0, total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? Double.NaN : 1 - residual / total;
    }

    private static double clip(double p) {
        return Math.min(1 - EPS, Math.max(EPS, p));
    }
}

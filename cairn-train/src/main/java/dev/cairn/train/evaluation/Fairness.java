package dev.cairn.train.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Group fairness of a binary classifier's decisions over one sensitive column, with Fairlearn's
 * definitions: the demographic parity difference is the largest minus the smallest selection rate
 * between groups, the equal opportunity difference the same for the true positive rate (groups
 * without positives have none and are left out), and the disparate impact ratio the smallest
 * selection rate over the largest; below 0.8 it breaks the four-fifths rule.
 * <p>
 * A group with fewer than {@code minGroupSize} rows is listed with its rates but marked too small
 * and left out of the gaps: the selection rate of a handful of rows says nothing (one row gives a
 * disparate impact of 0 or 1 by itself). A gap that cannot be computed, because fewer than two
 * groups are large enough or (for the ratio) no group is selected at all (0/0), is null, with the
 * reason in {@code note}; it is never reported as 0 or 1.
 */
public final class Fairness {
    public static final double FOUR_FIFTHS = 0.8;
    /** Fewer rows than this in a group and its rates are too noisy to judge (the usual rule of thumb for a proportion). */
    public static final int DEFAULT_MIN_GROUP_SIZE = 30;

    private Fairness() {}

    public static Report.FairnessReport of(Grouping grouping, int[] y, double[] p, double threshold, int minGroupSize) {
        List<Report.FairnessGroup> groups = new ArrayList<>();
        List<int[]> members = grouping.members();
        double minSel = Double.POSITIVE_INFINITY, maxSel = Double.NEGATIVE_INFINITY;
        double minTpr = Double.POSITIVE_INFINITY, maxTpr = Double.NEGATIVE_INFINITY;
        String lowest = null, highest = null;
        int eligible = 0, withPositives = 0;
        for (int g = 0; g < members.size(); g++) {
            int[] m = members.get(g);
            if (m.length == 0) continue;
            int[] ys = ModelEvaluator.select(y, m);
            BinaryMetrics.Confusion c = BinaryMetrics.Confusion.at(ys, ModelEvaluator.select(p, m), threshold);
            long positives = c.truePositives() + c.falseNegatives();
            String name = grouping.groups().get(g);
            boolean tooSmall = m.length < minGroupSize;
            groups.add(new Report.FairnessGroup(name, m.length, positives, c.selectionRate(), c.recall(), c.falsePositiveRate(), c.precision(),
                    tooSmall));
            if (tooSmall) continue;
            eligible++;
            if (c.selectionRate() < minSel) {
                minSel = c.selectionRate();
                lowest = name;
            }
            if (c.selectionRate() > maxSel) {
                maxSel = c.selectionRate();
                highest = name;
            }
            if (positives > 0) {
                withPositives++;
                minTpr = Math.min(minTpr, c.recall());
                maxTpr = Math.max(maxTpr, c.recall());
            }
        }
        List<String> notes = new ArrayList<>();
        Double dpd = null, eod = null, ratio = null;
        if (eligible < 2) {
            notes.add("fewer than two groups of at least " + minGroupSize + " rows: no gap to measure");
            lowest = null;
            highest = null;
        } else {
            dpd = maxSel - minSel;
            if (withPositives >= 2) eod = maxTpr - minTpr;
            if (maxSel > 0) {
                ratio = minSel / maxSel;
            } else {
                notes.add("no group has a positive prediction: the disparate impact ratio is 0/0, undefined");
            }
        }
        return new Report.FairnessReport(grouping.column(), groups, dpd, eod, ratio, ratio != null && ratio < FOUR_FIFTHS, lowest, highest,
                minGroupSize, notes.isEmpty() ? null : String.join("; ", notes));
    }
}

package dev.cairn.train.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Group fairness of a binary classifier's decisions over one sensitive column, with Fairlearn's
 * definitions: the demographic parity difference is the largest minus the smallest selection rate
 * between groups, the equal opportunity difference the same for the true positive rate (groups
 * without positives have none and are left out), and the disparate impact ratio the smallest
 * selection rate over the largest; below 0.8 it breaks the four-fifths rule.
 */
public final class Fairness {
    public static final double FOUR_FIFTHS = 0.8;

    private Fairness() {}

    public static Report.FairnessReport of(Grouping grouping, int[] y, double[] p, double threshold) {
        List<Report.FairnessGroup> groups = new ArrayList<>();
        List<int[]> members = grouping.members();
        double minSel = Double.POSITIVE_INFINITY, maxSel = Double.NEGATIVE_INFINITY;
        double minTpr = Double.POSITIVE_INFINITY, maxTpr = Double.NEGATIVE_INFINITY;
        String lowest = null, highest = null;
        for (int g = 0; g < members.size(); g++) {
            int[] m = members.get(g);
            if (m.length == 0) continue;
            int[] ys = ModelEvaluator.select(y, m);
            BinaryMetrics.Confusion c = BinaryMetrics.Confusion.at(ys, ModelEvaluator.select(p, m), threshold);
            long positives = c.truePositives() + c.falseNegatives();
            String name = grouping.groups().get(g);
            groups.add(new Report.FairnessGroup(name, m.length, positives, c.selectionRate(), c.recall(), c.falsePositiveRate(), c.precision()));
            if (c.selectionRate() < minSel) {
                minSel = c.selectionRate();
                lowest = name;
            }
            if (c.selectionRate() > maxSel) {
                maxSel = c.selectionRate();
                highest = name;
            }
            if (positives > 0) {
                minTpr = Math.min(minTpr, c.recall());
                maxTpr = Math.max(maxTpr, c.recall());
            }
        }
        double dpd = maxSel - minSel;
        double eod = maxTpr >= minTpr ? maxTpr - minTpr : 0;
        double ratio = maxSel > 0 ? minSel / maxSel : 1.0;
        return new Report.FairnessReport(grouping.column(), groups, dpd, eod, ratio, ratio < FOUR_FIFTHS, lowest, highest);
    }
}

package dev.cairn.runtime.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * An XGBoost tree ensemble evaluated in Java, read from XGBoost's own JSON model. Why: each
 * XGBoost4J prediction that misses XGBoost's per-DMatrix cache costs a native round trip with
 * thread and matrix setup (hundreds of microseconds for one row on our machines), and
 * {@code Booster.predict} is synchronized; walking 100 small trees in Java takes about a
 * microsecond, needs no lock and allocates nothing. It follows XGBoost's own rules: a missing
 * value goes the node's default direction, otherwise {@code value < split} goes left; tree
 * outputs are added in float in tree order onto the base margin. Only the gbtree booster with
 * numerical splits and the objectives below are evaluated here; {@link #fromJson} returns empty for
 * anything else and XGBoostModel falls back to XGBoost itself. XGBoostModel also checks at load
 * that both agree. Immutable, so thread-safe.
 */
final class XGBoostTrees {

    /** How the margin becomes the prediction. */
    enum Link { IDENTITY, SIGMOID, SOFTMAX, EXP }

    /**
     * All nodes of all trees, four ints each, so that a node is one cache line read:
     * {@code [feature << 1 | defaultLeft, left, right, floatBits(split or leaf value)]}; a leaf has
     * feature word -1. Child indexes are absolute node numbers.
     */
    private final int[] nodes;
    /**
     * The same trees in complete-binary-tree layout when they are shallow ({@code depth <= }
     * {@link #MAX_COMPLETE_DEPTH}), else null: node {@code i}'s children are {@code 2i+1} and
     * {@code 2i+2}, so walking a tree is {@code depth} steps with no child pointer to load and no leaf
     * test. A leaf above the bottom level is padded with a split that cannot matter (NaN split, both
     * subtrees copies of the leaf). {@code completeSplit} holds {@code feature << 1 | defaultLeft};
     * {@code completeValue} the split value, or the leaf value on the bottom level.
     */
    private final int[] completeSplit;
    private final float[] completeValue;
    private final int depth;
    private final int featureCount;
    private final int[] roots;
    private final int[] groups;
    private final float baseMargin;
    private final int groupCount;
    private final Link link;

    static final int MAX_COMPLETE_DEPTH = 10;

    private XGBoostTrees(int[] nodes, int[] roots, int[] groups, float baseMargin, int groupCount, Link link,
                         int featureCount) {
        this.nodes = nodes;
        this.featureCount = featureCount;
        int maxDepth = 0;
        for (int root : roots) maxDepth = Math.max(maxDepth, depthOf(nodes, root));
        this.depth = maxDepth;
        if (maxDepth <= MAX_COMPLETE_DEPTH) {
            int size = (1 << (maxDepth + 1)) - 1;
            completeSplit = new int[roots.length * size];
            completeValue = new float[roots.length * size];
            for (int t = 0; t < roots.length; t++) fill(nodes, roots[t], t * size, 0, 0, maxDepth);
        } else {
            completeSplit = null;
            completeValue = null;
        }
        this.roots = roots;
        this.groups = groups;
        this.baseMargin = baseMargin;
        this.groupCount = groupCount;
        this.link = link;
    }

    private static int depthOf(int[] nodes, int node) {
        if (nodes[node * 4] == -1) return 0;
        return 1 + Math.max(depthOf(nodes, nodes[node * 4 + 1]), depthOf(nodes, nodes[node * 4 + 2]));
    }

    /** Copies the subtree at {@code node} to complete-layout position {@code index} of the tree at {@code base}. */
    private void fill(int[] nodes, int node, int base, int index, int level, int maxDepth) {
        int at = node * 4;
        boolean leaf = nodes[at] == -1;
        if (level == maxDepth) {
            completeValue[base + index] = Float.intBitsToFloat(nodes[at + 3]);
            return;
        }
        if (leaf) {
            completeSplit[base + index] = 1;            // feature 0, missing goes left
            completeValue[base + index] = Float.NaN;    // x < NaN is false: present values go right
            fill(nodes, node, base, 2 * index + 1, level + 1, maxDepth);
            fill(nodes, node, base, 2 * index + 2, level + 1, maxDepth);
        } else {
            completeSplit[base + index] = nodes[at];
            completeValue[base + index] = Float.intBitsToFloat(nodes[at + 3]);
            fill(nodes, nodes[at + 1], base, 2 * index + 1, level + 1, maxDepth);
            fill(nodes, nodes[at + 2], base, 2 * index + 2, level + 1, maxDepth);
        }
    }

    /** The ensemble of an XGBoost JSON model, or empty when it uses something this evaluator does not follow. */
    static Optional<XGBoostTrees> fromJson(byte[] json) throws IOException {
        JsonNode learner = new ObjectMapper().readTree(json).path("learner");
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) return Optional.empty();
        String objective = learner.path("objective").path("name").asText();
        Link link;
        boolean logitBase = false;
        boolean logBase = false;
        switch (objective) {
            case "binary:logistic", "reg:logistic" -> {
                link = Link.SIGMOID;
                logitBase = true;
            }
            case "binary:logitraw" -> {
                link = Link.IDENTITY;
                logitBase = true;
            }
            case "reg:squarederror", "reg:absoluteerror", "reg:pseudohubererror" -> link = Link.IDENTITY;
            case "multi:softprob" -> link = Link.SOFTMAX;
            case "count:poisson", "reg:gamma", "reg:tweedie" -> {
                link = Link.EXP;
                logBase = true;
            }
            default -> {
                return Optional.empty();
            }
        }
        JsonNode params = learner.path("learner_model_param");
        String base = params.path("base_score").asText().replace("[", "").replace("]", "");
        if (base.isEmpty() || base.contains(",")) return Optional.empty();
        float baseScore = Float.parseFloat(base);
        // Float arithmetic, as XGBoost's ProbToMargin.
        float baseMargin = logitBase ? -(float) Math.log(1.0f / baseScore - 1.0f)
                : logBase ? (float) Math.log(baseScore) : baseScore;
        int groupCount = Math.max(1, params.path("num_class").asInt(0));
        int featureCount = params.path("num_feature").asInt(0);
        if (params.path("num_target").asInt(1) != 1) return Optional.empty();

        JsonNode model = booster.path("model");
        JsonNode trees = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        int total = 0;
        for (JsonNode t : trees) total += t.path("left_children").size();
        int[] roots = new int[trees.size()];
        int[] groups = new int[trees.size()];
        int[] nodes = new int[total * 4];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            for (JsonNode splitType : tree.path("split_type")) {
                if (splitType.asInt() != 0) return Optional.empty();   // categorical splits: leave to XGBoost
            }
            if (tree.path("tree_param").path("size_leaf_vector").asInt(1) > 1) return Optional.empty();
            roots[t] = offset;
            groups[t] = treeInfo.get(t).asInt();
            JsonNode l = tree.path("left_children");
            JsonNode r = tree.path("right_children");
            JsonNode f = tree.path("split_indices");
            JsonNode c = tree.path("split_conditions");
            JsonNode d = tree.path("default_left");
            for (int n = 0; n < l.size(); n++) {
                int li = l.get(n).asInt();
                int at = (offset + n) * 4;
                nodes[at] = li == -1 ? -1 : f.get(n).asInt() << 1 | (d.get(n).asInt() != 0 ? 1 : 0);
                nodes[at + 1] = li == -1 ? -1 : offset + li;
                nodes[at + 2] = li == -1 ? -1 : offset + r.get(n).asInt();
                nodes[at + 3] = Float.floatToRawIntBits((float) c.get(n).asDouble());
            }
            offset += l.size();
        }
        return Optional.of(new XGBoostTrees(nodes, roots, groups, baseMargin, groupCount, link, featureCount));
    }

    int groupCount() {
        return groupCount;
    }

    /** The margins (one per output group) of the row at {@code offset} in {@code features}. */
    float[] margins(float[] features, int offset) {
        float[] margin = new float[groupCount];
        java.util.Arrays.fill(margin, baseMargin);
        int[] nodes = this.nodes;
        for (int t = 0; t < roots.length; t++) {
            int at = roots[t] * 4;
            int split;
            while ((split = nodes[at]) != -1) {
                float x = features[offset + (split >>> 1)];
                boolean goLeft = x != x ? (split & 1) != 0 : x < Float.intBitsToFloat(nodes[at + 3]);
                at = nodes[at + (goLeft ? 1 : 2)] * 4;
            }
            margin[groups[t]] += Float.intBitsToFloat(nodes[at + 3]);
        }
        return margin;
    }

    /** The margin of a single-group model (binary, regression): no array needed. */
    private float margin(float[] features, int offset) {
        if (completeSplit != null) return completeMargin(features, offset);
        float margin = baseMargin;
        int[] nodes = this.nodes;
        for (int root : roots) {
            int at = root * 4;
            int split;
            while ((split = nodes[at]) != -1) {
                float x = features[offset + (split >>> 1)];
                boolean goLeft = x != x ? (split & 1) != 0 : x < Float.intBitsToFloat(nodes[at + 3]);
                at = nodes[at + (goLeft ? 1 : 2)] * 4;
            }
            margin += Float.intBitsToFloat(nodes[at + 3]);
        }
        return margin;
    }

    private float completeMargin(float[] features, int offset) {
        for (int f = offset; f < offset + featureCount; f++) {
            if (features[f] != features[f]) return completeMarginWithMissing(features, offset);
        }
        return completeMarginPresent(features, offset);
    }

    /**
     * No missing value in the row: each step is a compare and a shift, with four trees walked side
     * by side so that their independent loads overlap. Tree outputs are still added in tree order.
     */
    private float completeMarginPresent(float[] features, int offset) {
        float margin = baseMargin;
        int[] split = completeSplit;
        float[] value = completeValue;
        int size = (1 << (depth + 1)) - 1;
        int trees = roots.length;
        int t = 0;
        for (; t + 4 <= trees; t += 4) {
            int b0 = t * size;
            int b1 = b0 + size;
            int b2 = b1 + size;
            int b3 = b2 + size;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int level = 0; level < depth; level++) {
                i0 = 2 * i0 + (features[offset + (split[b0 + i0] >>> 1)] < value[b0 + i0] ? 1 : 2);
                i1 = 2 * i1 + (features[offset + (split[b1 + i1] >>> 1)] < value[b1 + i1] ? 1 : 2);
                i2 = 2 * i2 + (features[offset + (split[b2 + i2] >>> 1)] < value[b2 + i2] ? 1 : 2);
                i3 = 2 * i3 + (features[offset + (split[b3 + i3] >>> 1)] < value[b3 + i3] ? 1 : 2);
            }
            margin += value[b0 + i0];
            margin += value[b1 + i1];
            margin += value[b2 + i2];
            margin += value[b3 + i3];
        }
        for (; t < trees; t++) {
            int base = t * size;
            int index = 0;
            for (int level = 0; level < depth; level++) {
                index = 2 * index + (features[offset + (split[base + index] >>> 1)] < value[base + index] ? 1 : 2);
            }
            margin += value[base + index];
        }
        return margin;
    }

    private float completeMarginWithMissing(float[] features, int offset) {
        float margin = baseMargin;
        int[] split = completeSplit;
        float[] value = completeValue;
        int size = (1 << (depth + 1)) - 1;
        int trees = roots.length;
        for (int base = 0, t = 0; t < trees; t++, base += size) {
            int index = 0;
            for (int level = 0; level < depth; level++) {
                int s = split[base + index];
                float x = features[offset + (s >>> 1)];
                int right = x != x ? (~s & 1) : (x < value[base + index] ? 0 : 1);
                index = 2 * index + 1 + right;
            }
            margin += value[base + index];
        }
        return margin;
    }

    /** The prediction as XGBoost's {@code predict} gives it: probabilities for classifiers, values for regression. */
    double[] predict(float[] features, int offset) {
        if (groupCount == 1) {
            float m = margin(features, offset);
            return new double[]{switch (link) {
                case SIGMOID -> 1.0f / ((float) Math.exp(-m) + 1.0f);
                case EXP -> (float) Math.exp(m);
                default -> m;
            }};
        }
        float[] m = margins(features, offset);
        double[] out = new double[m.length];
        switch (link) {
            case IDENTITY -> {
                for (int k = 0; k < m.length; k++) out[k] = m[k];
            }
            case SIGMOID -> {
                // In float, as XGBoost's common::Sigmoid does, so that results match bit for bit.
                for (int k = 0; k < m.length; k++) out[k] = 1.0f / ((float) Math.exp(-m[k]) + 1.0f);
            }
            case EXP -> {
                for (int k = 0; k < m.length; k++) out[k] = (float) Math.exp(m[k]);
            }
            case SOFTMAX -> {
                float max = m[0];
                for (float v : m) max = Math.max(max, v);
                double sum = 0;
                for (int k = 0; k < m.length; k++) {
                    out[k] = Math.exp(m[k] - max);
                    sum += out[k];
                }
                for (int k = 0; k < m.length; k++) out[k] = (float) (out[k] / sum);
            }
        }
        return out;
    }
}

package dev.cairn.server.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A directed graph laid out in layers from left to right and drawn as SVG on the server: a pipeline's DAG of steps and
 * a lineage graph. Server-side so the page needs no script to show it, every node can be a plain link, and the policy
 * (no inline script or style) holds: the template writes elements and CSS classes only.
 *
 * <p>The layout is the usual layered one kept small: a node's layer is the longest path to it from a node without
 * inputs (edges closing a cycle are left out of that), nodes of a layer are ordered by the mean position of their
 * neighbours in the layer before and after, a few sweeps each way, and edges are cubic curves from the right side of
 * one box to the left side of the other.
 */
public final class GraphLayout {

    static final int NODE_WIDTH = 210;
    static final int NODE_HEIGHT = 46;
    static final int GAP_X = 70;
    static final int GAP_Y = 18;
    static final int MARGIN = 10;
    /** Characters of a label that fit a box; longer ones are cut with an ellipsis and shown whole in the tooltip. */
    static final int LABEL_CHARS = 30;

    /**
     * A node as given: {@code label} its first line, {@code detail} its second, {@code cssClass} its look (a step's state,
     * a lineage node's kind), {@code href} where it links to (null: not a link).
     */
    public record Node(String id, String label, String detail, String cssClass, String href) {}

    public record Edge(String from, String to, String label) {}

    /** A node in place: its box's top-left corner, and the two lines as they fit. */
    public record PlacedNode(Node node, int x, int y, int width, int height, String line1, String line2, String tooltip) {
        public int textX() {
            return x + 8;
        }

        public int line1Y() {
            return y + 19;
        }

        public int line2Y() {
            return y + 36;
        }
    }

    public record PlacedEdge(Edge edge, String path) {}

    /** What the template draws: an SVG {@code width} × {@code height}. */
    public record Drawing(int width, int height, List<PlacedNode> nodes, List<PlacedEdge> edges) {
        public String viewBox() {
            return "0 0 " + width + " " + height;
        }

        public boolean isEmpty() {
            return nodes.isEmpty();
        }
    }

    private GraphLayout() {}

    /** Lays the graph out; edges naming an unknown node are left out. */
    static Drawing layout(List<Node> nodes, List<Edge> edges) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Node> unique = new ArrayList<>();
        for (Node n : nodes) {
            if (index.putIfAbsent(n.id(), unique.size()) == null) unique.add(n);
        }
        int count = unique.size();
        List<Edge> kept = edges.stream().filter(e -> index.containsKey(e.from()) && index.containsKey(e.to()) && !e.from().equals(e.to()))
                .distinct().toList();
        List<List<Integer>> out = new ArrayList<>();
        List<List<Integer>> in = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new ArrayList<>());
            in.add(new ArrayList<>());
        }
        for (Edge e : kept) {
            out.get(index.get(e.from())).add(index.get(e.to()));
            in.get(index.get(e.to())).add(index.get(e.from()));
        }
        int[] layer = layers(count, out);
        int layers = 0;
        for (int l : layer) layers = Math.max(layers, l + 1);
        List<List<Integer>> byLayer = new ArrayList<>();
        for (int l = 0; l < layers; l++) byLayer.add(new ArrayList<>());
        for (int i = 0; i < count; i++) byLayer.get(layer[i]).add(i);
        double[] position = new double[count];
        renumber(byLayer, position);
        for (int sweep = 0; sweep < 4; sweep++) {
            for (int l = 1; l < layers; l++) order(byLayer.get(l), in, position);
            renumber(byLayer, position);
            for (int l = layers - 2; l >= 0; l--) order(byLayer.get(l), out, position);
            renumber(byLayer, position);
        }

        int tallest = byLayer.stream().mapToInt(List::size).max().orElse(0);
        int height = tallest == 0 ? 0 : 2 * MARGIN + tallest * NODE_HEIGHT + (tallest - 1) * GAP_Y;
        int width = layers == 0 ? 0 : 2 * MARGIN + layers * NODE_WIDTH + (layers - 1) * GAP_X;
        PlacedNode[] placed = new PlacedNode[count];
        for (int l = 0; l < layers; l++) {
            List<Integer> column = byLayer.get(l);
            int columnHeight = column.size() * NODE_HEIGHT + (column.size() - 1) * GAP_Y;
            int top = MARGIN + ((height - 2 * MARGIN) - columnHeight) / 2;
            for (int k = 0; k < column.size(); k++) {
                Node n = unique.get(column.get(k));
                int x = MARGIN + l * (NODE_WIDTH + GAP_X);
                int y = top + k * (NODE_HEIGHT + GAP_Y);
                String tooltip = n.detail() == null || n.detail().isEmpty() ? n.label() : n.label() + "\n" + n.detail();
                placed[column.get(k)] = new PlacedNode(n, x, y, NODE_WIDTH, NODE_HEIGHT, cut(n.label()), cut(n.detail()), tooltip);
            }
        }
        List<PlacedEdge> drawn = new ArrayList<>();
        for (Edge e : kept) {
            PlacedNode a = placed[index.get(e.from())];
            PlacedNode b = placed[index.get(e.to())];
            drawn.add(new PlacedEdge(e, curve(a, b)));
        }
        List<PlacedNode> all = new ArrayList<>();
        for (PlacedNode p : placed) all.add(p);
        return new Drawing(width, height, all, drawn);
    }

    /** Longest path from a source; a depth-first order decides which edges close a cycle, and those are ignored. */
    private static int[] layers(int count, List<List<Integer>> out) {
        int[] state = new int[count];
        List<Integer> finished = new ArrayList<>();
        boolean[][] back = new boolean[count][];
        for (int i = 0; i < count; i++) back[i] = new boolean[out.get(i).size()];
        for (int start = 0; start < count; start++) {
            if (state[start] != 0) continue;
            // Iterative depth-first search: a lineage graph may be long, and recursion would bound it by the stack.
            List<int[]> stack = new ArrayList<>();
            stack.add(new int[] {start, 0});
            state[start] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.getLast();
                int node = top[0];
                if (top[1] < out.get(node).size()) {
                    int k = top[1]++;
                    int next = out.get(node).get(k);
                    if (state[next] == 1) back[node][k] = true;
                    else if (state[next] == 0) {
                        state[next] = 1;
                        stack.add(new int[] {next, 0});
                    }
                } else {
                    state[node] = 2;
                    finished.add(node);
                    stack.removeLast();
                }
            }
        }
        int[] layer = new int[count];
        for (int i = finished.size() - 1; i >= 0; i--) {
            int node = finished.get(i);
            for (int k = 0; k < out.get(node).size(); k++) {
                if (back[node][k]) continue;
                int next = out.get(node).get(k);
                layer[next] = Math.max(layer[next], layer[node] + 1);
            }
        }
        return layer;
    }

    private static void order(List<Integer> column, List<List<Integer>> neighbours, double[] position) {
        Map<Integer, Double> key = new HashMap<>();
        for (int node : column) {
            List<Integer> ns = neighbours.get(node);
            key.put(node, ns.isEmpty() ? position[node] : ns.stream().mapToDouble(n -> position[n]).average().orElse(position[node]));
        }
        column.sort(Comparator.comparingDouble((Integer n) -> key.get(n)).thenComparingDouble(n -> position[n]));
    }

    private static void renumber(List<List<Integer>> byLayer, double[] position) {
        for (List<Integer> column : byLayer) {
            // Centred, so layers of different sizes compare by where their nodes are drawn.
            double offset = (column.size() - 1) / 2.0;
            for (int k = 0; k < column.size(); k++) position[column.get(k)] = k - offset;
        }
    }

    private static String curve(PlacedNode a, PlacedNode b) {
        int x1 = a.x() + a.width();
        int y1 = a.y() + a.height() / 2;
        int x2 = b.x();
        int y2 = b.y() + b.height() / 2;
        if (x2 <= x1) {
            // A back edge (a cycle): around the boxes' bottoms rather than through them.
            int below = Math.max(a.y() + a.height(), b.y() + b.height()) + GAP_Y / 2;
            return String.format(Locale.ROOT, "M%d %d C%d %d %d %d %d %d", a.x() + a.width() / 2, a.y() + a.height(),
                    a.x() + a.width() / 2, below, b.x() + b.width() / 2, below, b.x() + b.width() / 2, b.y() + b.height());
        }
        int mid = (x1 + x2) / 2;
        return String.format(Locale.ROOT, "M%d %d C%d %d %d %d %d %d", x1, y1, mid, y1, mid, y2, x2 - 2, y2);
    }

    static String cut(String text) {
        if (text == null) return "";
        return text.length() <= LABEL_CHARS ? text : text.substring(0, LABEL_CHARS - 1) + "…";
    }
}

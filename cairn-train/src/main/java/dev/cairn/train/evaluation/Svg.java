package dev.cairn.train.evaluation;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts for the HTML report: no script, no network, readable in any browser. */
final class Svg {
    static final String CANDIDATE_COLOR = "#1f6feb";
    static final String CHAMPION_COLOR = "#d97706";
    private static final int W = 360, H = 310, LEFT = 50, RIGHT = 15, TOP = 42, BOTTOM = 45;

    private Svg() {}

    record Series(String name, String color, List<double[]> points, boolean markers, boolean dashed) {}

    /** A line chart over the unit square ([0, 1] on both axes), e.g. ROC, precision–recall, calibration. */
    static String unitChart(String id, String title, String xLabel, String yLabel, List<Series> all, boolean diagonal) {
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"").append(id).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\">");
        s.append("<title>").append(Html.escape(title)).append("</title>");
        s.append(text(W / 2.0, 18, title, "middle", "title"));
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            s.append(line(x(0), y(v), x(1), y(v), "#e5e7eb"));
            s.append(line(x(v), y(0), x(v), y(1), "#e5e7eb"));
            s.append(text(x(0) - 6, y(v) + 4, fmt1(v), "end", "tick"));
            s.append(text(x(v), y(0) + 16, fmt1(v), "middle", "tick"));
        }
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(W - LEFT - RIGHT)
                .append("\" height=\"").append(H - TOP - BOTTOM).append("\" fill=\"none\" stroke=\"#6b7280\"/>");
        if (diagonal) s.append("<line x1=\"").append(f(x(0))).append("\" y1=\"").append(f(y(0))).append("\" x2=\"").append(f(x(1)))
                .append("\" y2=\"").append(f(y(1))).append("\" stroke=\"#9ca3af\" stroke-dasharray=\"4 4\"/>");
        s.append(text(W / 2.0, H - 8, xLabel, "middle", "axis"));
        s.append("<text x=\"14\" y=\"").append(f((TOP + H - BOTTOM) / 2.0)).append("\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 14 ")
                .append(f((TOP + H - BOTTOM) / 2.0)).append(")\">").append(Html.escape(yLabel)).append("</text>");
        // Later series are drawn first, so the candidate (first) stays visible on top of the champion.
        for (int i = all.size() - 1; i >= 0; i--) {
            Series series = all.get(i);
            if (series.points().isEmpty()) continue;
            StringBuilder path = new StringBuilder();
            for (double[] p : series.points()) {
                path.append(path.isEmpty() ? "M" : " L").append(f(x(clamp(p[0])))).append(',').append(f(y(clamp(p[1]))));
            }
            s.append("<path class=\"series\" data-series=\"").append(Html.escape(series.name())).append("\" d=\"").append(path)
                    .append("\" fill=\"none\" stroke=\"").append(series.color()).append("\" stroke-width=\"2\"")
                    .append(series.dashed() ? " stroke-dasharray=\"6 3\"" : "").append("/>");
            if (series.markers()) {
                for (double[] p : series.points()) {
                    s.append("<circle cx=\"").append(f(x(clamp(p[0])))).append("\" cy=\"").append(f(y(clamp(p[1]))))
                            .append("\" r=\"3\" fill=\"").append(series.color()).append("\"/>");
                }
            }
        }
        // The legend sits in a row between the title and the plot, where no curve can hide it.
        double lx = LEFT;
        for (Series series : all) {
            s.append("<rect x=\"").append(f(lx)).append("\" y=\"25\" width=\"10\" height=\"10\" fill=\"").append(series.color()).append("\"/>");
            s.append(text(lx + 14, 34, series.name(), "start", "legend"));
            lx += 24 + 7 * series.name().length();
        }
        return s.append("</svg>").toString();
    }

    /** Horizontal bars (e.g. permutation importance), longest first as given. */
    static String bars(String id, String title, List<String> labels, List<Double> values, String color) {
        int rowHeight = 20, labelWidth = 170, width = 560;
        int height = 40 + labels.size() * rowHeight;
        double max = values.stream().mapToDouble(v -> Math.abs(v)).max().orElse(1);
        if (max == 0) max = 1;
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"").append(id).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\">");
        s.append("<title>").append(Html.escape(title)).append("</title>");
        s.append(text(width / 2.0, 18, title, "middle", "title"));
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i);
            double y = 30 + i * rowHeight;
            double len = Math.abs(v) / max * (width - labelWidth - 70);
            s.append(text(labelWidth - 6, y + 13, labels.get(i), "end", "tick"));
            s.append("<rect class=\"bar\" x=\"").append(labelWidth).append("\" y=\"").append(f(y + 3)).append("\" width=\"").append(f(Math.max(len, 0.5)))
                    .append("\" height=\"").append(rowHeight - 6).append("\" fill=\"").append(v < 0 ? "#9ca3af" : color).append("\"/>");
            s.append(text(labelWidth + len + 4, y + 13, String.format(Locale.ROOT, "%.4f", v), "start", "tick"));
        }
        return s.append("</svg>").toString();
    }

    private static double x(double v) {
        return LEFT + v * (W - LEFT - RIGHT);
    }

    private static double y(double v) {
        return H - BOTTOM - v * (H - TOP - BOTTOM);
    }

    private static double clamp(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\" stroke=\"" + color + "\"/>";
    }

    private static String text(double x, double y, String text, String anchor, String cls) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + cls + "\">" + Html.escape(text) + "</text>";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

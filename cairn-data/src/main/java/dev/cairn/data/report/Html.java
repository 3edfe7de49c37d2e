package dev.cairn.data.report;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.check.Numbers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Cairn's one set of HTML and inline-SVG helpers for self-contained reports (data, monitoring):
 * everything from data is escaped, no scripts, no fonts or anything else from the network.
 */
public final class Html {
    private Html() {}

    /** Text and attribute values: {@code < > & " '} become entities, so data can never open a tag or end an attribute. */
    public static String escape(Object value) {
        if (value == null) return "";
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** A number as people read it (6 significant digits), or an en dash for none. */
    public static String number(Double v) {
        return v == null ? "–" : Numbers.format(v);
    }

    public static String page(String title, String body) {
        return page(title, "", body);
    }

    /** A whole page: the house CSS, then {@code extraCss} (trusted, written by Cairn), then the body (already escaped by its writer). */
    public static String page(String title, String extraCss, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2433;max-width:1200px}
                h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde}
                table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
                td,th{border:1px solid #dde;padding:.25rem .5rem;text-align:left;vertical-align:top}
                th{background:#f3f5f9}.num{text-align:right;font-variant-numeric:tabular-nums}
                .green{background:#dff3e4}.amber{background:#fff1cc}.red{background:#fbdada}
                .badge{display:inline-block;border-radius:.6rem;padding:0 .5rem;font-weight:600}
                .col{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}
                .muted{color:#667}code{font-size:.8rem}
                %s
                </style></head><body>
                %s
                <p class="muted">Written by Cairn. This file is self-contained: it needs no network to be read.</p>
                </body></html>
                """.formatted(escape(title), extraCss, body);
    }

    /** A bar chart of counts over bins (edges.size() == counts.size() + 1), as inline SVG. */
    static String histogram(List<Double> edges, List<Double> counts, String color) {
        if (counts == null || counts.isEmpty()) return "";
        int width = 320;
        int height = 120;
        double max = counts.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= 0) max = 1;
        double barWidth = (double) width / counts.size();
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + (height + 18)
                + "\" role=\"img\"><rect width=\"100%\" height=\"" + height + "\" fill=\"#fafbfd\"/>");
        for (int i = 0; i < counts.size(); i++) {
            double h = counts.get(i) / max * (height - 4);
            svg.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>[%s, %s): %s</title></rect>",
                    i * barWidth + 0.5, height - h, Math.max(barWidth - 1, 0.5), h, color, number(edges.get(i)), number(edges.get(i + 1)),
                    number(counts.get(i))));
        }
        svg.append("<text x=\"0\" y=\"").append(height + 14).append("\" font-size=\"11\">").append(escape(number(edges.getFirst())))
                .append("</text><text x=\"").append(width).append("\" y=\"").append(height + 14)
                .append("\" font-size=\"11\" text-anchor=\"end\">").append(escape(number(edges.getLast()))).append("</text></svg>");
        return svg.toString();
    }

    /** Horizontal bars of labelled values (top values), as inline SVG. */
    static String bars(List<String> labels, List<Double> values, String color) {
        if (labels.isEmpty()) return "";
        int rowHeight = 16;
        int width = 360;
        int labelWidth = 140;
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= 0) max = 1;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\""
                + labels.size() * rowHeight + "\" role=\"img\">");
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i).length() > 22 ? labels.get(i).substring(0, 21) + "…" : labels.get(i);
            double w = values.get(i) / max * (width - labelWidth - 50);
            int y = i * rowHeight;
            svg.append("<text x=\"0\" y=\"").append(y + 12).append("\" font-size=\"11\">").append(escape(label)).append("</text>")
                    .append(String.format(java.util.Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                            labelWidth, y + 2, w, rowHeight - 4, color))
                    .append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>",
                            labelWidth + w + 4, y + 12, escape(number(values.get(i)))));
        }
        return svg.append("</svg>").toString();
    }

    /**
     * One line of a {@link LineChart}, a value per x position: a null value is a gap in the line, never
     * a zero. A series on the right axis has its own scale, which starts at 0 (a rate beside a count).
     */
    public record Series(String name, String color, List<Double> values, boolean dashed, boolean rightAxis) {
        public Series {
            if (name == null || color == null || values == null) throw CairnException.invalid("series", name, "a name, a color and values");
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        public static Series line(String name, String color, List<Double> values) {
            return new Series(name, color, values, false, false);
        }

        public Series asDashed() {
            return new Series(name, color, values, true, rightAxis);
        }

        public Series onRightAxis() {
            return new Series(name, color, values, dashed, true);
        }
    }

    /** A shaded band between {@code lower} and {@code upper} on the left axis (an interval, a threshold band); a null on either side is a gap. */
    public record Band(String name, String color, List<Double> lower, List<Double> upper) {
        public Band {
            if (name == null || color == null || lower == null || upper == null) throw CairnException.invalid("band", name, "a name, a color, lower and upper");
            lower = Collections.unmodifiableList(new ArrayList<>(lower));
            upper = Collections.unmodifiableList(new ArrayList<>(upper));
        }
    }

    /**
     * A line chart: {@code x} are the positions (e.g. epoch seconds, gaps in time stay gaps in space),
     * {@code xLabels} their labels (empty for a position without a tick, e.g. a window with no data);
     * every series and band has one value per position. The left axis always shows the values of
     * {@code yInclude} (e.g. 0 for counts, 0 and 1 for shares).
     */
    public record LineChart(String id, String title, String yLabel, List<Double> x, List<String> xLabels, List<Series> series,
                            List<Band> bands, List<Double> yInclude) {
        public LineChart {
            x = List.copyOf(x);
            xLabels = List.copyOf(xLabels);
            series = List.copyOf(series);
            bands = List.copyOf(bands);
            yInclude = yInclude == null ? List.of() : List.copyOf(yInclude);
            if (xLabels.size() != x.size()) throw CairnException.invalid("xLabels", xLabels.size(), "one label per x position (" + x.size() + ")");
            for (Series s : series) {
                if (s.values().size() != x.size()) throw CairnException.invalid("series '" + s.name() + "'", s.values().size(), "one value per x position (" + x.size() + ")");
            }
            for (Band b : bands) {
                if (b.lower().size() != x.size() || b.upper().size() != x.size()) {
                    throw CairnException.invalid("band '" + b.name() + "'", b.lower().size() + "/" + b.upper().size(), "one lower and one upper per x position (" + x.size() + ")");
                }
            }
        }
    }

    private static final int CHART_W = 760, CHART_H = 260, CHART_LEFT = 62, CHART_RIGHT = 52, CHART_BOTTOM = 36, MAX_X_TICKS = 6;

    /** A line chart as inline SVG; each point carries its value as a tooltip, so no script is needed to read it. */
    public static String lineChart(LineChart c) {
        // The legend takes as many rows as its names need, above the plot where no line can hide it.
        List<double[]> legendAt = new ArrayList<>();
        List<String> legendNames = new ArrayList<>();
        c.series().forEach(s -> legendNames.add(s.name()));
        c.bands().forEach(b -> legendNames.add(b.name()));
        double lx = CHART_LEFT, ly = 34;
        for (String name : legendNames) {
            double w = 30 + 6.5 * name.length();
            if (lx > CHART_LEFT && lx + w > CHART_W - CHART_RIGHT) {
                lx = CHART_LEFT;
                ly += 15;
            }
            legendAt.add(new double[] {lx, ly});
            lx += w;
        }
        double top = (legendNames.isEmpty() ? 24 : ly) + 12, bottom = CHART_H - CHART_BOTTOM;
        double left = CHART_LEFT, right = CHART_W - CHART_RIGHT;

        StringBuilder s = new StringBuilder(4096);
        s.append("<svg id=\"").append(escape(c.id())).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_W)
                .append("\" height=\"").append(CHART_H).append("\" viewBox=\"0 0 ").append(CHART_W).append(' ').append(CHART_H)
                .append("\" role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"11\"><title>").append(escape(c.title())).append("</title>");
        s.append(svgText(CHART_W / 2.0, 16, c.title(), "middle", "font-size=\"13\" font-weight=\"600\""));
        for (int i = 0; i < legendNames.size(); i++) {
            double[] at = legendAt.get(i);
            if (i < c.series().size()) {
                Series series = c.series().get(i);
                s.append("<line x1=\"").append(f(at[0])).append("\" y1=\"").append(f(at[1] - 4)).append("\" x2=\"").append(f(at[0] + 18))
                        .append("\" y2=\"").append(f(at[1] - 4)).append("\" stroke=\"").append(escape(series.color())).append("\" stroke-width=\"2\"")
                        .append(series.dashed() ? " stroke-dasharray=\"5 3\"" : "").append("/>");
            } else {
                s.append("<rect x=\"").append(f(at[0])).append("\" y=\"").append(f(at[1] - 9)).append("\" width=\"18\" height=\"10\" fill=\"")
                        .append(escape(c.bands().get(i - c.series().size()).color())).append("\" fill-opacity=\"0.25\"/>");
            }
            s.append(svgText(at[0] + 22, at[1], legendNames.get(i), "start", ""));
        }

        List<Double> leftValues = new ArrayList<>(c.yInclude());
        List<Double> rightValues = new ArrayList<>(List.of(0.0));
        boolean anyValue = false, anyRight = false;
        for (Series series : c.series()) {
            for (Double v : series.values()) {
                if (v == null || !Double.isFinite(v)) continue;
                anyValue = true;
                (series.rightAxis() ? rightValues : leftValues).add(v);
            }
            anyRight |= series.rightAxis();
        }
        for (Band b : c.bands()) {
            for (List<Double> side : List.of(b.lower(), b.upper())) {
                for (Double v : side) {
                    if (v != null && Double.isFinite(v)) {
                        anyValue = true;
                        leftValues.add(v);
                    }
                }
            }
        }
        s.append("<rect x=\"").append(f(left)).append("\" y=\"").append(f(top)).append("\" width=\"").append(f(right - left)).append("\" height=\"")
                .append(f(bottom - top)).append("\" fill=\"#fafbfd\" stroke=\"#9aa3b2\"/>");
        if (!anyValue || c.x().isEmpty()) {
            s.append(svgText((left + right) / 2, (top + bottom) / 2, "No values in this period", "middle", "fill=\"#667\""));
            return s.append("</svg>").toString();
        }
        Scale ys = Scale.of(leftValues);
        Scale rs = Scale.of(rightValues);
        double xMin = c.x().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double xMax = c.x().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double pad = xMax > xMin ? 0 : 1;
        double[] px = new double[c.x().size()];
        for (int i = 0; i < px.length; i++) px[i] = left + 6 + (c.x().get(i) - xMin + pad) / (xMax - xMin + 2 * pad) * (right - left - 12);

        for (int i = 0; i <= ys.ticks(); i++) {
            double v = ys.tick(i), py = ys.at(v, top, bottom);
            s.append("<line x1=\"").append(f(left)).append("\" y1=\"").append(f(py)).append("\" x2=\"").append(f(right)).append("\" y2=\"")
                    .append(f(py)).append("\" stroke=\"#e5e7eb\"/>");
            s.append(svgText(left - 5, py + 4, Numbers.format(v), "end", ""));
        }
        if (anyRight) {
            for (int i = 0; i <= rs.ticks(); i++) {
                double v = rs.tick(i);
                s.append(svgText(right + 5, rs.at(v, top, bottom) + 4, Numbers.format(v), "start", "fill=\"#556\""));
            }
        }
        List<Integer> labelled = new ArrayList<>();
        for (int i = 0; i < c.xLabels().size(); i++) if (!c.xLabels().get(i).isEmpty()) labelled.add(i);
        int ticks = Math.min(MAX_X_TICKS, labelled.size());
        int previous = -1;
        for (int k = 0; k < ticks; k++) {
            int i = labelled.get(ticks == 1 ? 0 : (int) Math.round(k * (labelled.size() - 1) / (double) (ticks - 1)));
            if (i == previous) continue;
            previous = i;
            s.append("<line x1=\"").append(f(px[i])).append("\" y1=\"").append(f(bottom)).append("\" x2=\"").append(f(px[i])).append("\" y2=\"")
                    .append(f(bottom + 4)).append("\" stroke=\"#9aa3b2\"/>");
            s.append(svgText(px[i], bottom + 16, c.xLabels().get(i), "middle", ""));
        }
        double mid = (top + bottom) / 2;
        s.append("<text x=\"14\" y=\"").append(f(mid)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ").append(f(mid)).append(")\">")
                .append(escape(c.yLabel())).append("</text>");

        for (Band b : c.bands()) {
            for (int[] run : runs(b.lower(), b.upper())) {
                StringBuilder d = new StringBuilder();
                for (int i = run[0]; i <= run[1]; i++) d.append(d.isEmpty() ? "M" : " L").append(f(px[i])).append(',').append(f(ys.at(b.upper().get(i), top, bottom)));
                for (int i = run[1]; i >= run[0]; i--) d.append(" L").append(f(px[i])).append(',').append(f(ys.at(b.lower().get(i), top, bottom)));
                s.append("<path class=\"band\" data-band=\"").append(escape(b.name())).append("\" d=\"").append(d).append(" Z\" fill=\"")
                        .append(escape(b.color())).append("\" fill-opacity=\"0.18\" stroke=\"").append(escape(b.color()))
                        .append("\" stroke-opacity=\"0.4\"").append(run[0] == run[1] ? " stroke-width=\"4\"" : "").append("/>");
            }
        }
        for (Series series : c.series()) {
            Scale scale = series.rightAxis() ? rs : ys;
            StringBuilder d = new StringBuilder();
            StringBuilder markers = new StringBuilder();
            boolean inLine = false;
            for (int i = 0; i < px.length; i++) {
                Double v = series.values().get(i);
                if (v == null || !Double.isFinite(v)) {
                    inLine = false;
                    continue;
                }
                double py = scale.at(v, top, bottom);
                d.append(d.isEmpty() ? "" : " ").append(inLine ? "L" : "M").append(f(px[i])).append(',').append(f(py));
                inLine = true;
                markers.append("<circle cx=\"").append(f(px[i])).append("\" cy=\"").append(f(py)).append("\" r=\"2.2\" fill=\"")
                        .append(escape(series.color())).append("\"><title>").append(escape(c.xLabels().get(i))).append(" · ")
                        .append(escape(series.name())).append(": ").append(escape(number(v))).append("</title></circle>");
            }
            if (d.isEmpty()) continue;
            s.append("<path class=\"series\" data-series=\"").append(escape(series.name())).append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
                    .append(escape(series.color())).append("\" stroke-width=\"1.8\"").append(series.dashed() ? " stroke-dasharray=\"5 3\"" : "").append("/>");
            s.append(markers);
        }
        return s.append("</svg>").toString();
    }

    /**
     * A small line without axes (e.g. a feature's drift over windows, in a table cell): a null is a gap,
     * {@code reference} (nullable) a dashed level such as the test's threshold, the last value a dot.
     */
    public static String sparkline(List<Double> values, Double reference, String color, String title) {
        int width = 140, height = 30;
        List<Double> all = new ArrayList<>();
        for (Double v : values) if (v != null && Double.isFinite(v)) all.add(v);
        if (reference != null && Double.isFinite(reference)) all.add(reference);
        StringBuilder s = new StringBuilder("<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\"><title>" + escape(title) + "</title>");
        if (all.isEmpty() || values.isEmpty()) return s.append("</svg>").toString();
        double min = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max == min) {
            min -= 0.5;
            max += 0.5;
        }
        double step = values.size() > 1 ? (width - 8.0) / (values.size() - 1) : 0;
        double lo = min, span = max - min;
        DoubleUnaryOperator y = v -> height - 4 - (v - lo) / span * (height - 8);
        if (reference != null && Double.isFinite(reference)) {
            s.append("<line x1=\"0\" y1=\"").append(f(y.applyAsDouble(reference))).append("\" x2=\"").append(width).append("\" y2=\"")
                    .append(f(y.applyAsDouble(reference))).append("\" stroke=\"#9aa3b2\" stroke-dasharray=\"3 2\"/>");
        }
        StringBuilder d = new StringBuilder();
        boolean inLine = false;
        int last = -1;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !Double.isFinite(v)) {
                inLine = false;
                continue;
            }
            d.append(d.isEmpty() ? "" : " ").append(inLine ? "L" : "M").append(f(4 + i * step)).append(',').append(f(y.applyAsDouble(v)));
            inLine = true;
            last = i;
        }
        if (last < 0) return s.append("</svg>").toString();
        s.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(escape(color)).append("\" stroke-width=\"1.5\"/>");
        s.append("<circle cx=\"").append(f(4 + last * step)).append("\" cy=\"").append(f(y.applyAsDouble(values.get(last))))
                .append("\" r=\"2.5\" fill=\"").append(escape(color)).append("\"/>");
        return s.append("</svg>").toString();
    }

    /** Index runs [first, last] where both sides have a finite value. */
    private static List<int[]> runs(List<Double> lower, List<Double> upper) {
        List<int[]> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= lower.size(); i++) {
            boolean present = i < lower.size() && lower.get(i) != null && upper.get(i) != null && Double.isFinite(lower.get(i)) && Double.isFinite(upper.get(i));
            if (present && start < 0) start = i;
            if (!present && start >= 0) {
                runs.add(new int[] {start, i - 1});
                start = -1;
            }
        }
        return runs;
    }

    /** An axis with round ticks (1, 2, 2.5 or 5 times a power of ten) that covers every value given. */
    private record Scale(long first, long last, double step) {
        static Scale of(List<Double> values) {
            double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            if (max == min) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= min == 0 ? 0 : pad;
                max += pad;
            }
            double raw = (max - min) / 4;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double norm = raw / magnitude;
            double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * magnitude;
            return new Scale((long) Math.floor(min / step), (long) Math.ceil(max / step), step);
        }

        int ticks() {
            return (int) (last - first);
        }

        /** Ticks are whole multiples of the step, so 0 is exactly 0 and labels carry no rounding noise. */
        double tick(int i) {
            return (first + i) * step;
        }

        double at(double v, double top, double bottom) {
            return bottom - (v - first * step) / ((last - first) * step) * (bottom - top);
        }
    }

    private static String svgText(double x, double y, String text, String anchor, String attributes) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\"" + (attributes.isEmpty() ? "" : " " + attributes) + ">"
                + escape(text) + "</text>";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

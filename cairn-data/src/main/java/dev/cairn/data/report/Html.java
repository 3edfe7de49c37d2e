package dev.cairn.data.report;

import dev.cairn.data.check.Numbers;
import java.util.List;

/** Small HTML and inline-SVG helpers: everything escaped, no scripts, no network. */
final class Html {
    private Html() {}

    static String escape(Object value) {
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

    static String number(Double v) {
        return v == null ? "–" : Numbers.format(v);
    }

    static String page(String title, String body) {
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
                </style></head><body>
                %s
                <p class="muted">Written by Cairn. This file is self-contained: it needs no network to be read.</p>
                </body></html>
                """.formatted(escape(title), body);
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
}

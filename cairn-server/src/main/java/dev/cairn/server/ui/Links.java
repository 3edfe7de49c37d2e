package dev.cairn.server.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The UI's URLs and the small formatting its pages share. Templates escape what they print for HTML; the parts of a
 * URL (a model name with a space or a slash, a filter with {@code &}) are encoded here first.
 */
public final class Links {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Links() {}

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String experiment(String id) {
        return "/ui/experiments/" + encode(id);
    }

    public static String run(String id) {
        return "/ui/runs/" + encode(id);
    }

    public static String model(String name) {
        return "/ui/models/" + encode(name);
    }

    public static String pipeline(String name) {
        return "/ui/pipelines/" + encode(name);
    }

    /** A feature view's or service's page. */
    public static String feature(String name) {
        return "/ui/features/" + encode(name);
    }

    public static String pipelineRun(String id) {
        return "/ui/pipelines/runs/" + encode(id);
    }

    /** The lineage graph around an artifact URI ({@code models:/name/3}, {@code snapshot:<sha>}, a table, a file). */
    public static String lineageOf(String uri) {
        return "/ui/lineage?uri=" + encode(uri);
    }

    public static String evaluation(String runId) {
        return run(runId) + "/evaluation";
    }

    public static String runData(String runId) {
        return run(runId) + "/data";
    }

    public static String monitoring(String deployment) {
        return "/ui/monitoring/" + encode(deployment);
    }

    /** {@code path?k=v&k=v} with every pair in order (a key may repeat), empty values left out. */
    public static String withQuery(String path, List<Map.Entry<String, String>> pairs) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String> pair : pairs) {
            if (pair.getValue() == null || pair.getValue().isEmpty()) continue;
            query.add(encode(pair.getKey()) + "=" + encode(pair.getValue()));
        }
        return query.length() == 0 ? path : path + "?" + query;
    }

    /** Epoch milliseconds as a UTC time people read; empty for null. */
    public static String time(Long epochMillis) {
        return epochMillis == null ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** A metric value as people compare them: up to 6 significant digits, no exponent for ordinary sizes. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return Double.toString(value);
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        String s = String.format(java.util.Locale.ROOT, "%.6g", value);
        if (s.contains("e")) return s;
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}

package dev.cairn.monitor.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.monitor.MonitorJson;
import dev.cairn.monitor.WindowMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the monitoring report of one deployment over [{@code from}, {@code to}) shows, and its JSON form:
 * the metrics of each {@code window} (e.g. "day") with data, the per-feature drift of the last window with
 * data ({@code latestDrift}, null when not computed), the bounds of the multivariate reconstruction error
 * (null when the model has no multivariate drift), the alert transitions of the period and the rules
 * firing at {@code generatedAt}. Windows are kept in time order.
 */
@JsonPropertyOrder({"format"})
public record MonitoringReport(String deployment, String model, String window, Instant from, Instant to, Instant generatedAt,
                               List<WindowMetrics> windows, DriftResult latestDrift, Thresholds multivariateThresholds,
                               List<ReportAlert> alerts, List<String> firing) {
    public static final String FORMAT = "cairn.monitoring-report/v1";

    /** The band the multivariate reconstruction error is expected in; either side may be open (null). */
    public record Thresholds(Double lower, Double upper) {
        public Thresholds {
            if (lower == null && upper == null) throw CairnException.invalid("multivariate_thresholds", "{}", "a lower or an upper bound");
            if (lower != null && upper != null && lower > upper) {
                throw CairnException.invalid("multivariate_thresholds.lower", lower, "at most the upper bound " + upper);
            }
        }
    }

    public MonitoringReport {
        required("deployment", deployment);
        required("model", model);
        required("window", window);
        if (from == null) throw CairnException.invalid("from", null, "the instant the period starts");
        if (to == null || to.isBefore(from)) throw CairnException.invalid("to", to, "an instant at or after from (" + from + ")");
        if (generatedAt == null) throw CairnException.invalid("generated_at", null, "the instant the report was made");
        List<WindowMetrics> sorted = new ArrayList<>(windows == null ? List.of() : windows);
        for (int i = 0; i < sorted.size(); i++) {
            WindowMetrics w = sorted.get(i);
            if (w == null) throw CairnException.invalid("windows[" + i + "]", null, "the metrics of a window");
            // One report is one deployment's story: another deployment's window would be drawn as if it were this one's.
            if (!deployment.equals(w.deployment())) {
                throw CairnException.invalid("windows[" + i + "].deployment", w.deployment(), "the report's deployment '" + deployment + "'");
            }
            if (w.start() == null || w.end() == null) throw CairnException.invalid("windows[" + i + "].start", w.start(), "a start and an end");
        }
        sorted.sort(Comparator.comparing(WindowMetrics::start).thenComparing(w -> Objects.requireNonNullElse(w.modelVersion(), "")));
        windows = List.copyOf(sorted);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        firing = firing == null ? List.of() : List.copyOf(firing);
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) throw CairnException.invalid(field, value, "a non-empty name");
    }

    /** The format tag written first in the JSON, checked when read. */
    @JsonProperty("format")
    public String format() {
        return FORMAT;
    }

    public String toJson() {
        return MonitorJson.write(MonitorJson.PRETTY, this);
    }

    public static MonitoringReport fromJson(String json) {
        Map<?, ?> head = MonitorJson.read(json, Map.class, "a monitoring report");
        Object format = head.get("format");
        if (format != null && !FORMAT.equals(format)) throw CairnException.invalid("format", format, FORMAT);
        return MonitorJson.read(json, MonitoringReport.class, "a monitoring report");
    }

    public static MonitoringReport read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No monitoring report at " + file, Map.of("path", file.toString()), e);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read the monitoring report " + file + ": " + e.getMessage(),
                    Map.of("path", file.toString()), e);
        }
    }
}

package dev.cairn.monitor.report;

import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.WindowMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A month of daily windows of a classifier, computed from formulas (no randomness): feature
 * {@code amount} drifts from window 20, estimated precision falls from then on, labels (and so
 * realized precision) exist only for the first 25 windows, latency is missing in window 12.
 */
final class SyntheticReports {
    static final String DEPLOYMENT = "fraud <&\"> scorer";
    static final String SCRIPT_FEATURE = "<script>alert(1)</script>";
    static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
    static final int WINDOWS = 30, DRIFT_FROM = 20, LABELLED = 25, NO_LATENCY = 12;
    static final List<String> FEATURES = List.of("age", "amount", SCRIPT_FEATURE, "city");

    private SyntheticReports() {}

    static Instant day(int i) {
        return START.plus(Duration.ofDays(i));
    }

    static WindowMetrics window(int i) {
        Map<String, Double> v = new LinkedHashMap<>();
        double rows = 1000 + 10 * i;
        v.put(MetricNames.ROWS, rows);
        v.put(MetricNames.REQUESTS, rows / 2);
        double refused = i % 7 == 0 ? 3 : 0;
        v.put(MetricNames.REFUSED, refused);
        v.put(MetricNames.REFUSED_RATE, refused / (rows / 2));
        if (i != NO_LATENCY) {
            v.put(MetricNames.LATENCY_P50, 4.0 + 0.1 * (i % 5));
            v.put(MetricNames.LATENCY_P95, 11.0 + 0.3 * (i % 4));
            v.put(MetricNames.LATENCY_P99, 25.0 + (i % 3));
        }
        boolean drifting = i >= DRIFT_FROM;
        for (String f : FEATURES) {
            boolean drifted = drifting && f.equals("amount");
            v.put(MetricNames.drift(f), drifted ? 0.001 : 0.3 + 0.02 * (i % 10));
            v.put(MetricNames.drifted(f), drifted ? 1.0 : 0.0);
        }
        v.put(MetricNames.DRIFT_SHARE, drifting ? 0.25 : 0.0);
        v.put(MetricNames.PREDICTION_DRIFT_SCORE, drifting ? 0.02 : 0.4);
        v.put(MetricNames.RECONSTRUCTION_ERROR, drifting ? 1.6 : 1.0 + 0.01 * (i % 6));
        v.put(MetricNames.MISSING_RATE, 0.01);
        v.put(MetricNames.OUT_OF_RANGE_RATE, drifting ? 0.04 : 0.002);
        v.put(MetricNames.UNSEEN_RATE, 0.0);
        v.put(MetricNames.TYPE_ERROR_RATE, 0.0);
        double precision = drifting ? 0.82 - 0.015 * (i - DRIFT_FROM) : 0.82;
        v.put(MetricNames.estimated("precision"), precision);
        v.put(MetricNames.estimated("precision") + MetricNames.LOWER_SUFFIX, precision - 0.03);
        v.put(MetricNames.estimated("precision") + MetricNames.UPPER_SUFFIX, precision + 0.03);
        v.put(MetricNames.estimated("roc_auc"), 0.9);
        if (i < LABELLED) {
            v.put(MetricNames.realized("precision"), precision + 0.005 * ((i % 3) - 1));
            v.put(MetricNames.realized("roc_auc"), 0.89);
            v.put(MetricNames.LABEL_COVERAGE, i < DRIFT_FROM ? 1.0 : 1.0 - 0.15 * (i - DRIFT_FROM));
            v.put(MetricNames.LABEL_LAG_HOURS, 30.0);
        }
        return new WindowMetrics(DEPLOYMENT, "fraud", "3", day(i), day(i + 1), v);
    }

    static DriftResult latestDrift() {
        List<FeatureDrift> features = new ArrayList<>();
        // "amount" comes last here: the report must still list it first, as it drifted.
        for (String f : List.of("age", SCRIPT_FEATURE, "city", "amount")) {
            boolean drifted = f.equals("amount");
            features.add(new FeatureDrift(f, f.equals("city") || f.equals(SCRIPT_FEATURE) ? "categorical" : "numeric",
                    f.equals("city") || f.equals(SCRIPT_FEATURE) ? "chi_square" : "ks", drifted ? 0.001 : 0.48, 0.05, drifted,
                    Map.of("psi", drifted ? 0.4 : 0.01), "exact", 5000, 1290));
        }
        return new DriftResult(DriftResult.FORMAT, "reference of fraud v3", "window " + day(WINDOWS - 1), 4, 1, 0.25, false,
                DriftOptions.DEFAULT, features, List.of("id (an identifier)"));
    }

    static List<ReportAlert> alerts() {
        return List.of(
                new ReportAlert("latency_p99_high", ReportAlert.FIRING, "warning", MetricNames.LATENCY_P99, 31.0, 30.0, ">", day(5), day(6)),
                new ReportAlert("latency_p99_high", ReportAlert.RESOLVED, "warning", MetricNames.LATENCY_P99, 26.0, 30.0, ">", day(6), day(7)),
                new ReportAlert("amount_drift", ReportAlert.FIRING, "critical", MetricNames.drifted("amount"), 1.0, 0.5, ">=",
                        day(DRIFT_FROM), day(DRIFT_FROM + 1)));
    }

    static MonitoringReport month() {
        List<WindowMetrics> windows = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) windows.add(window(i));
        return new MonitoringReport(DEPLOYMENT, "fraud", "day", START, day(WINDOWS), day(WINDOWS).plusSeconds(3600), windows, latestDrift(),
                new MonitoringReport.Thresholds(0.9, 1.2), alerts(), List.of("amount_drift"));
    }

    static MonitoringReport empty() {
        return new MonitoringReport(DEPLOYMENT, "fraud", "day", START, day(WINDOWS), day(WINDOWS), List.of(), null, null, List.of(), List.of());
    }
}

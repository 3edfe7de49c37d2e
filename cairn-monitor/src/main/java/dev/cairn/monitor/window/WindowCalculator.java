package dev.cairn.monitor.window;

import dev.cairn.data.drift.DriftCalculator;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileSketches;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.QuerySource;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.WindowMetrics;
import dev.cairn.monitor.multivariate.Multivariate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Turns a window's stored state into its metrics: volume and latency, input drift per feature against
 * the training profile (the tests chosen per type as cairn-data chooses them), prediction drift of the
 * score against the validation scores, multivariate drift, and data quality rates. Performance (realized
 * and estimated) is added by {@link dev.cairn.monitor.Monitoring}, which holds the labels.
 */
public final class WindowCalculator {
    private final DriftOptions options;
    private final Map<String, DatasetProfile> scoreProfiles = new ConcurrentHashMap<>();

    public WindowCalculator(DriftOptions options) {
        this.options = options;
    }

    /** The per-feature drift of a window against the model's training profile, or null when either side has no profile. */
    public DriftResult inputDrift(WindowState state, MonitoredModel model) {
        return inputDrift(state, model, null);
    }

    /**
     * The per-feature drift of a window against {@code reference} (a past window's state, or a dataset's profile
     * as a state without rows of its own), or against the training profile when null.
     */
    public DriftResult inputDrift(WindowState state, MonitoredModel model, DatasetProfile reference) {
        DatasetProfile base = reference != null ? reference : model.trainingProfile();
        if (base == null || state.profile() == null || state.rows() == 0) return null;
        List<String> inputs = model.signature().inputNames();
        return DriftCalculator.compare(only(base, inputs), only(state.profile(), inputs), options);
    }

    public Map<String, Double> metrics(WindowState state, MonitoredModel model, DriftResult drift) {
        return metrics(state, model, drift, null);
    }

    /** The window's metrics; prediction drift is against {@code reference}'s scores when it has them (a past window). */
    public Map<String, Double> metrics(WindowState state, MonitoredModel model, DriftResult drift, DatasetProfile reference) {
        Map<String, Double> m = new LinkedHashMap<>();
        long requests = state.requests() + state.refused();
        m.put(MetricNames.ROWS, (double) state.rows());
        m.put(MetricNames.REQUESTS, (double) state.requests());
        m.put(MetricNames.REFUSED, (double) state.refused());
        if (requests > 0) m.put(MetricNames.REFUSED_RATE, state.refused() / (double) requests);
        state.refusedByField().forEach((field, n) -> m.put("volume.refused." + field, (double) n));
        ColumnProfile latency = column(state.profile(), LogSql.LATENCY);
        if (latency != null && latency.present() > 0) {
            KllDoublesSketch kll = ProfileSketches.kll(latency);
            if (kll != null && !kll.isEmpty()) {
                m.put(MetricNames.LATENCY_P50, kll.getQuantile(0.50));
                m.put(MetricNames.LATENCY_P95, kll.getQuantile(0.95));
                m.put(MetricNames.LATENCY_P99, kll.getQuantile(0.99));
            }
        }
        if (drift != null) {
            for (FeatureDrift f : drift.features()) {
                m.put(MetricNames.drift(f.column()), f.value());
                m.put(MetricNames.drifted(f.column()), f.drifted() ? 1.0 : 0.0);
            }
            if (drift.columns() > 0) m.put(MetricNames.DRIFT_SHARE, drift.driftShare());
        }
        FeatureDrift score = reference != null && reference.column(LogSql.SCORE).isPresent()
                ? first(DriftCalculator.compare(only(reference, List.of(LogSql.SCORE)), only(state.profile(), List.of(LogSql.SCORE)), options))
                : reference != null ? null : scoreDrift(state, model);
        if (score != null) {
            m.put(MetricNames.PREDICTION_DRIFT_SCORE, score.value());
            m.put(MetricNames.PREDICTION_DRIFT_SCORE + MetricNames.DRIFTED_SUFFIX, score.drifted() ? 1.0 : 0.0);
        }
        ColumnProfile scores = column(state.profile(), LogSql.SCORE);
        if (scores != null && scores.numeric() != null && scores.numeric().mean() != null) m.put("prediction.mean_score", scores.numeric().mean());
        if (model.positiveClass() != null) {
            ColumnProfile labels = column(state.profile(), LogSql.LABEL);
            if (labels != null && labels.present() > 0) {
                Double positives = ProfileSketches.valueCounts(labels).get(model.positiveClass());
                m.put("prediction.positive_rate", (positives == null ? 0 : positives) / labels.present());
            }
        }
        ColumnProfile reconstruction = column(state.profile(), LogSql.RECONSTRUCTION);
        if (reconstruction != null && reconstruction.numeric() != null && reconstruction.numeric().mean() != null) {
            m.putAll(Multivariate.metrics(model, reconstruction.numeric().mean(), reconstruction.present()));
        }
        long cells = state.rows() * state.quality().size();
        if (cells > 0) {
            long missing = 0, type = 0, range = 0, unseen = 0;
            for (Map.Entry<String, FieldQuality> e : state.quality().entrySet()) {
                FieldQuality q = e.getValue();
                missing += q.missing();
                type += q.typeErrors();
                range += q.outOfRange();
                unseen += q.unseen();
                String prefix = "quality." + e.getKey() + ".";
                if (q.missing() > 0) m.put(prefix + "missing", (double) q.missing());
                if (q.typeErrors() > 0) m.put(prefix + "type_errors", (double) q.typeErrors());
                if (q.outOfRange() > 0) m.put(prefix + "out_of_range", (double) q.outOfRange());
                if (q.unseen() > 0) m.put(prefix + "unseen", (double) q.unseen());
            }
            m.put(MetricNames.MISSING_RATE, missing / (double) cells);
            m.put(MetricNames.TYPE_ERROR_RATE, type / (double) cells);
            m.put(MetricNames.OUT_OF_RANGE_RATE, range / (double) cells);
            m.put(MetricNames.UNSEEN_RATE, unseen / (double) cells);
        }
        return m;
    }

    public static WindowMetrics toMetrics(WindowState state, Map<String, Double> values) {
        return new WindowMetrics(state.deployment(), state.model(), state.modelVersion(), Instant.ofEpochMilli(state.start()),
                Instant.ofEpochMilli(state.end()), values);
    }

    private FeatureDrift scoreDrift(WindowState state, MonitoredModel model) {
        if (model.predictions() == null || model.predictions().scores().length == 0) return null;
        ColumnProfile live = column(state.profile(), LogSql.SCORE);
        if (live == null || live.present() == 0) return null;
        DatasetProfile reference = scoreProfiles.computeIfAbsent(model.name() + "/" + model.version(), k -> scoreProfile(model));
        DriftResult d = DriftCalculator.compare(reference, only(state.profile(), List.of(LogSql.SCORE)), options);
        return d.features().isEmpty() ? null : d.features().getFirst();
    }

    /** The validation scores' profile, made the way a window's is, so the two compare like with like. */
    private static DatasetProfile scoreProfile(MonitoredModel model) {
        String values = java.util.Arrays.stream(model.predictions().scores()).filter(Double::isFinite)
                .mapToObj(v -> Double.toString(v)).collect(Collectors.joining(", ", "[", "]"));
        try (LoadedTable t = DataReader.open(new QuerySource("validation scores of " + model.name() + " version " + model.version(),
                "SELECT unnest(" + values + "::DOUBLE[]) AS " + LogSql.SCORE))) {
            return Profiler.profile(t);
        }
    }

    private static FeatureDrift first(DriftResult d) {
        return d.features().isEmpty() ? null : d.features().getFirst();
    }

    private static ColumnProfile column(DatasetProfile p, String name) {
        return p == null ? null : p.column(name).orElse(null);
    }

    static DatasetProfile only(DatasetProfile p, List<String> names) {
        List<ColumnProfile> columns = p.columns().stream().filter(c -> names.contains(c.name())).toList();
        return new DatasetProfile(p.format(), p.source(), p.rowCount(), p.malformedRowCount(), p.malformedRows(), columns);
    }
}

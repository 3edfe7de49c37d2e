package dev.cairn.data.history;

import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.data.RunRecorder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The history of a dataset's validation metrics kept where they already are: in the runs of an
 * experiment that recorded validations of it ({@code data.<name>.<metric>} metrics, written by
 * {@link dev.cairn.data.DataValidation#record}). {@code metric_change} checks compare with the
 * newest runs; nothing needs recording here, since each validation's own run carries its metrics.
 */
public final class RunMetricsHistory implements MetricsHistory {
    /** How many recent runs are looked at: enough for any reasonable change window. */
    private static final int LOOK_BACK = 500;

    private final RunStore runs;
    private final String experimentId;
    private final String name;

    public RunMetricsHistory(RunStore runs, String experimentId, String name) {
        this.runs = runs;
        this.experimentId = experimentId;
        this.name = name;
    }

    @Override
    public List<Double> recent(String key, int count) {
        String metric = RunRecorder.metricKey("data." + name + "." + key);
        List<Double> newestFirst = new ArrayList<>();
        for (Run run : runs.searchRuns(List.of(experimentId), null, ViewType.ACTIVE_ONLY,
                List.of("attributes.start_time DESC"), LOOK_BACK, null).items()) {
            for (Metric m : run.data().metrics()) {
                if (m.key().equals(metric)) {
                    newestFirst.add(m.value());
                    break;
                }
            }
            if (newestFirst.size() == count) break;
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public void record(Map<String, Double> metrics, long timestamp) {
        // The validation's run records its metrics (DataValidation.record); they are this history.
    }
}

package dev.cairn.core.store;

import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.List;

/** Runs and what they log. Every method throws {@link dev.cairn.core.error.CairnException}. */
public interface RunStore {

    /**
     * Creates a RUNNING run. A parent run is named by the {@code mlflow.parentRunId} tag, as in
     * MLflow. {@code runName} may be null: the store then makes one up.
     */
    Run createRun(String experimentId, String userId, long startTime, String runName, List<Tag> tags);

    Run getRun(String runId);

    /** Updates status, end time (null keeps it) and name (null keeps it). */
    RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName);

    void deleteRun(String runId);

    void restoreRun(String runId);

    /**
     * The one write primitive: all of it is stored in one transaction or none of it is. Limits are
     * MLflow's (1000 metrics, 100 params, 100 tags, 1000 items in all); a param logged again with
     * another value is refused with INVALID_PARAMETER_VALUE, and the whole batch with it.
     */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    default void logMetric(String runId, Metric metric) {
        logBatch(runId, List.of(metric), List.of(), List.of());
    }

    default void logParam(String runId, Param param) {
        logBatch(runId, List.of(), List.of(param), List.of());
    }

    default void setTag(String runId, Tag tag) {
        logBatch(runId, List.of(), List.of(), List.of(tag));
    }

    void deleteTag(String runId, String key);

    void logInputs(String runId, List<DatasetInput> inputs);

    /** Every point logged for one metric, ordered by step then timestamp. */
    List<Metric> getMetricHistory(String runId, String metricKey);

    /**
     * One page of a metric's history, in the same order: at most {@code maxResults} points from
     * where {@code pageToken} (null for the first page) says, and the token of the next page, null
     * after the last. A history of a million points need not be read, or sent, at once.
     */
    Page<Metric> getMetricHistory(String runId, String metricKey, int maxResults, String pageToken);

    /** The largest {@code maxResults} of {@link #getMetricHistory(String, String, int, String)}. */
    int MAX_HISTORY_RESULTS = 25_000;

    /**
     * Runs of the given experiments matching MLflow's filter syntax, extended with {@code OR} and
     * parentheses: {@code metrics.auc > 0.8 and (params.max_depth = '6' or tags.team = 'risk')}.
     * {@code orderBy} items are like {@code metrics.auc DESC} or {@code attributes.start_time};
     * {@code pageToken} is opaque, from a previous page.
     */
    Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                         int maxResults, String pageToken);
}

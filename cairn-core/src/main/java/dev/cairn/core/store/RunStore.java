package dev.cairn.core.store;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunData;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Runs and what they log. Every method throws {@link CairnException}. */
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

    /**
     * {@link #searchRuns(List, String, ViewType, List, int, String)}, the same runs in the same order and the same page
     * token, but each run carries of its latest metrics only those whose key is in {@code metricKeys} (none when it
     * is empty); params, tags and inputs in full. A table that shows six of a run's 12,000 metrics reads six.
     * This default filters a full search; a store over a database reads only the keys asked for.
     */
    default Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                                 int maxResults, String pageToken, Collection<String> metricKeys) {
        if (metricKeys == null) throw CairnException.invalid("metric_keys", null, "the metric keys to read (empty for none)");
        Set<String> keys = Set.copyOf(metricKeys);
        Page<Run> page = searchRuns(experimentIds, filter, viewType, orderBy, maxResults, pageToken);
        return new Page<>(page.items().stream().map(run -> new Run(run.info(), new RunData(
                run.data().metrics().stream().filter(m -> keys.contains(m.key())).toList(), run.data().params(), run.data().tags()),
                run.inputs())).toList(), page.nextPageToken());
    }

    /** The most runs {@link #metricKeys} takes at once. */
    int MAX_KEY_RUNS = 1000;
    /** The largest {@code limit} of {@link #metricKeys}. */
    int MAX_KEYS = 10_000;

    /**
     * The distinct keys of the latest metrics of these runs that contain {@code contains} (ignoring case; null or
     * blank: every key), in key order, at most {@code limit} of them: what a column chooser offers, or finds as a
     * person types, without reading the values of runs that log thousands of metrics. At most {@link #MAX_KEY_RUNS}
     * runs; {@code limit} from 1 to {@link #MAX_KEYS}. A run id that names no run adds nothing.
     * This default reads each run; a store over a database reads the keys from its index.
     */
    default List<String> metricKeys(List<String> runIds, String contains, int limit) {
        checkMetricKeys(runIds, limit);
        String needle = contains == null ? "" : contains.strip().toLowerCase(Locale.ROOT);
        TreeSet<String> keys = new TreeSet<>();
        for (String runId : runIds) {
            Run run;
            try {
                run = getRun(runId);
            } catch (CairnException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) continue;
                throw e;
            }
            for (Metric m : run.data().metrics()) {
                if (m.key().toLowerCase(Locale.ROOT).contains(needle)) keys.add(m.key());
            }
            while (keys.size() > limit) keys.pollLast();
        }
        return List.copyOf(keys);
    }

    /** The most runs {@link #getRuns} and {@link #getMetricHistories} take at once. */
    int MAX_BATCH_RUNS = 1000;
    /** The largest {@code maxResults} of {@link #latestMetrics}. */
    int MAX_LATEST_RESULTS = 1000;

    /**
     * The runs named, in the order given (an id named twice once, an id that names no run left out), each as
     * {@link #getRun} reads it but with only those latest metrics whose key is in {@code metricKeys} (null: all of them,
     * empty: none): a page comparing 200 runs by one metric reads 200 runs in a few queries, not 200 runs of every
     * metric one at a time. At most {@link #MAX_BATCH_RUNS} ids. This default reads them one by one.
     */
    default List<Run> getRuns(List<String> runIds, Collection<String> metricKeys) {
        checkBatch(runIds);
        Set<String> keys = metricKeys == null ? null : Set.copyOf(metricKeys);
        List<Run> runs = new ArrayList<>();
        for (String runId : new LinkedHashSet<>(runIds)) {
            Run run;
            try {
                run = getRun(runId);
            } catch (CairnException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) continue;
                throw e;
            }
            runs.add(keys == null ? run : new Run(run.info(), new RunData(run.data().metrics().stream()
                    .filter(m -> keys.contains(m.key())).toList(), run.data().params(), run.data().tags()), run.inputs()));
        }
        return List.copyOf(runs);
    }

    /**
     * One page of a run's latest metrics in key order, those whose key contains {@code contains} (ignoring case; null
     * or blank: all), at most {@code maxResults} (1 to {@link #MAX_LATEST_RESULTS}) from where {@code pageToken} (null
     * for the first page) says: a run page of 12,000 metrics shows 50 of them. An unknown run is RESOURCE_DOES_NOT_EXIST.
     * This default pages a full read; a store over a database reads the page from its index.
     */
    default Page<Metric> latestMetrics(String runId, String contains, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_LATEST_RESULTS) {
            throw CairnException.invalid("max_results", maxResults, "a number from 1 to " + MAX_LATEST_RESULTS);
        }
        int offset = 0;
        if (pageToken != null && !pageToken.isBlank()) {
            try {
                offset = Integer.parseInt(pageToken.strip());
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) throw CairnException.invalid("page_token", pageToken, "a page token returned by the previous page");
        }
        String needle = contains == null ? "" : contains.strip().toLowerCase(Locale.ROOT);
        List<Metric> all = getRun(runId).data().metrics().stream()
                .filter(m -> m.key().toLowerCase(Locale.ROOT).contains(needle))
                .sorted(Comparator.comparing(Metric::key)).toList();
        int to = Math.min(all.size(), offset + maxResults);
        List<Metric> items = offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, to));
        return new Page<>(items, to < all.size() ? Integer.toString(to) : null);
    }

    /**
     * The history of one metric for each of the runs named, as {@link #getMetricHistory(String, String)} orders it, at
     * most the first {@code maxPerRun} points of each (1 to {@link #MAX_HISTORY_RESULTS}): a run whose list holds
     * {@code maxPerRun} points may have more, to be read a page at a time. Keyed by run id in the order given; a run
     * that did not log the key maps to an empty list, an id that names no run is left out. At most
     * {@link #MAX_BATCH_RUNS} ids. This default reads run by run; a store over a database reads them all in one read.
     */
    default Map<String, List<Metric>> getMetricHistories(List<String> runIds, String metricKey, int maxPerRun) {
        checkBatch(runIds);
        if (maxPerRun < 1 || maxPerRun > MAX_HISTORY_RESULTS) {
            throw CairnException.invalid("max_per_run", maxPerRun, "a number from 1 to " + MAX_HISTORY_RESULTS);
        }
        Map<String, List<Metric>> histories = new LinkedHashMap<>();
        for (String runId : new LinkedHashSet<>(runIds)) {
            try {
                histories.put(runId, getMetricHistory(runId, metricKey, maxPerRun, null).items());
            } catch (CairnException e) {
                if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
            }
        }
        return histories;
    }

    /** The run ids {@link #getRuns} and {@link #getMetricHistories} accept, checked the same way by every store. */
    static void checkBatch(List<String> runIds) {
        if (runIds == null || runIds.size() > MAX_BATCH_RUNS || runIds.stream().anyMatch(Objects::isNull)) {
            throw CairnException.invalid("run_ids", runIds == null ? null : runIds.size() + " runs",
                    "at most " + MAX_BATCH_RUNS + " run ids, none null");
        }
    }

    /** The arguments {@link #metricKeys} accepts, checked the same way by every store. */
    static void checkMetricKeys(List<String> runIds, int limit) {
        if (runIds == null || runIds.size() > MAX_KEY_RUNS) {
            throw CairnException.invalid("run_ids", runIds == null ? null : runIds.size() + " runs",
                    "at most " + MAX_KEY_RUNS + " run ids");
        }
        if (limit < 1 || limit > MAX_KEYS) throw CairnException.invalid("limit", limit, "1 to " + MAX_KEYS);
    }
}

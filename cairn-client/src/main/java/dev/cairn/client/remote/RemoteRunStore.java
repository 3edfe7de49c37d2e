package dev.cairn.client.remote;

import static dev.cairn.client.remote.Wire.API;
import static dev.cairn.client.remote.Wire.body;
import static dev.cairn.client.remote.Wire.segment;

import dev.cairn.client.RestClient;
import dev.cairn.core.store.RunStore;
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
import java.util.Map;

/**
 * {@link RunStore} over {@code /api/v1/runs}. {@code logBatch} is one request, so the server stores
 * all of it in one transaction or none of it, exactly as the embedded store does.
 */
final class RemoteRunStore implements RunStore {

    private static final String BASE = API + "/runs";

    record RunPage(List<Run> runs, String nextPageToken) {}

    record MetricHistory(List<Metric> metrics, String nextPageToken) {}

    private final RestClient rest;

    RemoteRunStore(RestClient rest) {
        this.rest = rest;
    }

    private static String run(String runId) {
        return BASE + "/" + segment(runId);
    }

    @Override
    public Run createRun(String experimentId, String userId, long startTime, String runName, List<Tag> tags) {
        // userId goes in X-Cairn-User too: the header wins over the body on the server.
        return rest.send("POST", BASE, null, body("experiment_id", experimentId, "run_name", runName,
                "start_time", startTime, "tags", tags, "user", userId), rest.mapper().constructType(Run.class), userId);
    }

    @Override
    public Run getRun(String runId) {
        return rest.get(run(runId), null, Run.class);
    }

    /**
     * As the embedded store, a null {@code endTime} keeps the run's end time: the server would
     * stamp "now" on a run ended without one, so the one already recorded is sent back. (A run that
     * has none yet does get the server's "now", as MLflow does.)
     */
    @Override
    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName) {
        if (endTime == null && status != null && status.isTerminal()) {
            endTime = getRun(runId).info().endTime();
        }
        return rest.patch(run(runId), body("status", status, "end_time", endTime, "run_name", runName), Run.class).info();
    }

    @Override
    public void deleteRun(String runId) {
        rest.delete(run(runId), null);
    }

    @Override
    public void restoreRun(String runId) {
        rest.post(run(runId) + "/restore", null, null);
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        rest.post(run(runId) + "/batch", body("metrics", metrics, "params", params, "tags", tags), null);
    }

    @Override
    public void deleteTag(String runId, String key) {
        rest.delete(run(runId) + "/tags/" + RestClient.encodePath(key), null);
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        rest.post(run(runId) + "/inputs", body("datasets", inputs), null);
    }

    /** Follows the server's pages, the largest it allows, until the last. */
    @Override
    public List<Metric> getMetricHistory(String runId, String metricKey) {
        List<Metric> all = new java.util.ArrayList<>();
        String token = null;
        do {
            Page<Metric> page = getMetricHistory(runId, metricKey, MAX_HISTORY_RESULTS, token);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    @Override
    public Page<Metric> getMetricHistory(String runId, String metricKey, int maxResults, String pageToken) {
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        query.put("metric_key", metricKey);
        query.put("max_results", maxResults);
        if (pageToken != null) query.put("page_token", pageToken);
        MetricHistory history = rest.get(run(runId) + "/metrics/history", query, MetricHistory.class);
        return new Page<>(history.metrics() == null ? List.of() : history.metrics(), history.nextPageToken());
    }

    @Override
    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                                int maxResults, String pageToken) {
        RunPage page = rest.post(BASE + "/search", body("experiment_ids", experimentIds, "filter", filter,
                "view_type", viewType, "order_by", orderBy, "max_results", maxResults, "page_token", pageToken), RunPage.class);
        return new Page<>(page.runs() == null ? List.of() : page.runs(), page.nextPageToken());
    }
}

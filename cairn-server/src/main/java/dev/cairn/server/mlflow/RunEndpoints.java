package dev.cairn.server.mlflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.BatchLimits;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MLflow's run RPCs (service.proto: CreateRun, GetRun, UpdateRun, DeleteRun, RestoreRun,
 * SearchRuns, LogMetric, LogParam, SetTag, DeleteTag, LogBatch, LogInputs, LogModel, GetMetricHistory).
 * Metrics, params and tags are written through the store's one transactional batch primitive,
 * so a request is stored whole or not at all.
 */
final class RunEndpoints {

    /** MLflow's default experiment, used when a client creates a run without naming one. */
    static final String DEFAULT_EXPERIMENT_ID = "0";

    /** MLflow's tag holding the MLmodel of every model logged with the run. */
    static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunStore runs;
    private final MlflowWire wire;
    /** Log-model rewrites a tag from its old value: one at a time (they are rare). */
    private final Object logModelLock = new Object();

    RunEndpoints(RunStore runs, MlflowWire wire) {
        this.runs = runs;
        this.wire = wire;
    }

    ObjectNode create(MlflowRequest request) {
        String experimentId = ExperimentEndpoints.emptyToNull(request.string("experiment_id"));
        // With login on, the run is the authenticated principal's whatever user_id the client claims (the MLflow
        // clients send the operating-system user): the record says who really logged it.
        String userId = request.principal().orElse(ExperimentEndpoints.emptyToNull(request.string("user_id")));
        String runName = ExperimentEndpoints.emptyToNull(request.string("run_name"));
        long startTime = request.int64OrDefault("start_time", System.currentTimeMillis());
        List<Tag> tags = ExperimentEndpoints.tags(request, "tags");
        String tagName = tags.stream().filter(t -> t.key().equals(SystemTags.RUN_NAME))
                .map(Tag::value).reduce((first, last) -> last).orElse(null);
        if (runName != null && tagName != null && !runName.equals(tagName)) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Both 'run_name' argument and '" + SystemTags.RUN_NAME + "' tag are specified, but with different values"
                            + " (run_name='" + runName + "', " + SystemTags.RUN_NAME + "='" + tagName + "').",
                    Map.of("field", "run_name", "value", runName, "expected", "the same value as the " + SystemTags.RUN_NAME + " tag"));
        }
        if (runName == null) runName = ExperimentEndpoints.emptyToNull(tagName);
        Run run = runs.createRun(experimentId == null ? DEFAULT_EXPERIMENT_ID : experimentId, userId, startTime, runName, tags);
        ObjectNode out = MlflowWire.object();
        out.set("run", wire.run(run));
        return out;
    }

    ObjectNode get(MlflowRequest request) {
        Run run = runs.getRun(request.requiredRunId());
        ObjectNode out = MlflowWire.object();
        out.set("run", wire.run(run));
        return out;
    }

    ObjectNode update(MlflowRequest request) {
        String runId = request.requiredRunId();
        RunStatus status = request.enumValue("status", RunStatus.class);
        Long endTime = request.int64("end_time");
        String runName = ExperimentEndpoints.emptyToNull(request.string("run_name"));
        if (status == null) {
            status = runs.getRun(runId).info().status();
        }
        RunInfo info = runs.updateRun(runId, status, endTime, runName);
        ObjectNode out = MlflowWire.object();
        out.set("run_info", wire.runInfo(info));
        return out;
    }

    ObjectNode delete(MlflowRequest request) {
        runs.deleteRun(request.requiredRunId());
        return MlflowWire.object();
    }

    ObjectNode restore(MlflowRequest request) {
        runs.restoreRun(request.requiredRunId());
        return MlflowWire.object();
    }

    ObjectNode logMetric(MlflowRequest request) {
        String runId = request.requiredRunId();
        runs.logMetric(runId, metric(request));
        return MlflowWire.object();
    }

    ObjectNode logParam(MlflowRequest request) {
        String runId = request.requiredRunId();
        String key = request.requiredString("key");
        runs.logParam(runId, new Param(key, request.stringOrEmpty("value")));
        return MlflowWire.object();
    }

    ObjectNode setTag(MlflowRequest request) {
        String runId = request.requiredRunId();
        String key = request.requiredString("key");
        runs.setTag(runId, new Tag(key, request.stringOrEmpty("value")));
        return MlflowWire.object();
    }

    ObjectNode deleteTag(MlflowRequest request) {
        String runId = request.requiredRunId();
        runs.deleteTag(runId, request.requiredString("key"));
        return MlflowWire.object();
    }

    /**
     * LogBatch, within MLflow's count limits. MLflow documents a 1 MB request size too, but its
     * server does not enforce it (it measures the parsed request, not its bytes), so neither does
     * Cairn: a batch MLflow accepts is accepted here. Bodies over {@link MlflowRequest#MAX_BODY_BYTES}
     * are refused for every endpoint.
     */
    ObjectNode logBatch(MlflowRequest request) {
        String runId = request.requiredRunId();
        // Limits first, as MLflow does, so that an oversized batch is refused before it is parsed.
        int metricCount = request.count("metrics");
        int paramCount = request.count("params");
        int tagCount = request.count("tags");
        BatchLimits.check(metricCount, paramCount, tagCount);

        List<Metric> metrics = new ArrayList<>();
        for (MlflowRequest item : request.objectList("metrics")) {
            metrics.add(metric(item));
        }
        List<Param> params = new ArrayList<>();
        for (MlflowRequest item : request.objectList("params")) {
            params.add(new Param(item.requiredString("key"), item.stringOrEmpty("value")));
        }
        List<Tag> tags = ExperimentEndpoints.tags(request, "tags");
        runs.logBatch(runId, metrics, params, tags);
        return MlflowWire.object();
    }

    ObjectNode logInputs(MlflowRequest request) {
        String runId = request.requiredRunId();
        List<DatasetInput> inputs = new ArrayList<>();
        for (MlflowRequest item : request.objectList("datasets")) {
            List<Tag> tags = new ArrayList<>();
            for (MlflowRequest tag : item.objectList("tags")) {
                tags.add(new Tag(tag.requiredString("key"), tag.requiredString("value")));
            }
            MlflowRequest dataset = item.object("dataset");
            if (dataset == null) throw item.missing("dataset");
            inputs.add(new DatasetInput(new Dataset(
                    dataset.requiredString("name"),
                    dataset.requiredString("digest"),
                    dataset.requiredString("source_type"),
                    dataset.requiredString("source"),
                    ExperimentEndpoints.emptyToNull(dataset.string("schema")),
                    ExperimentEndpoints.emptyToNull(dataset.string("profile"))), tags));
        }
        runs.logInputs(runId, inputs);
        return MlflowWire.object();
    }

    /**
     * LogModel: records a logged model's MLmodel (as JSON) on the run, appended to the
     * {@value #LOGGED_MODELS_TAG} tag as MLflow's stores do; the model's files go up as artifacts.
     * The tag is read and rewritten; this server does that for one model at a time, but two
     * servers logging models to one run at the same instant may, as in MLflow, leave only one of
     * them in the history (the files of both are kept).
     */
    ObjectNode logModel(MlflowRequest request) {
        String runId = request.requiredRunId();
        String modelJson = request.requiredString("model_json");
        JsonNode model;
        try {
            model = JSON.readTree(modelJson);
        } catch (JacksonException e) {
            model = null;
        }
        if (model == null || !model.isObject()) {
            throw request.invalid("model_json", modelJson, "the MLmodel as a JSON object");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("artifact_path", "flavors", "utc_time_created", "run_id")) {
            if (!model.has(field)) missing.add(field);
        }
        if (!missing.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Model json is missing mandatory fields: " + missing,
                    Map.of("field", "model_json", "expected", "an MLmodel with " + String.join(", ", missing)));
        }
        synchronized (logModelLock) {
            appendLoggedModel(runId, model);
        }
        return MlflowWire.object();
    }

    private void appendLoggedModel(String runId, JsonNode model) {
        Run run = runs.getRun(runId);
        ArrayNode history = JSON.createArrayNode();
        run.data().tags().stream().filter(t -> t.key().equals(LOGGED_MODELS_TAG)).findFirst().ifPresent(t -> {
            try {
                JsonNode previous = JSON.readTree(t.value());
                if (previous != null && previous.isArray()) history.addAll((ArrayNode) previous);
            } catch (JacksonException e) {
                // A tag someone overwrote by hand: start the history afresh rather than refuse the model.
            }
        });
        history.add(model);
        runs.setTag(runId, new Tag(LOGGED_MODELS_TAG, history.toString()));
    }

    ObjectNode search(MlflowRequest request) {
        List<String> experimentIds = request.stringList("experiment_ids");
        String filter = ExperimentEndpoints.emptyToNull(request.string("filter"));
        ViewType viewType = request.enumValue("run_view_type", ViewType.class);
        int maxResults = request.intInRange("max_results", 1000, 1, ExperimentEndpoints.MAX_SEARCH_RESULTS);
        List<String> orderBy = request.stringList("order_by");
        String pageToken = ExperimentEndpoints.emptyToNull(request.string("page_token"));
        Page<Run> page = runs.searchRuns(experimentIds, filter, viewType == null ? ViewType.ACTIVE_ONLY : viewType,
                orderBy, maxResults, pageToken);
        ObjectNode out = MlflowWire.object();
        if (!page.items().isEmpty()) {
            ArrayNode array = out.putArray("runs");
            page.items().forEach(r -> array.add(wire.run(r)));
        }
        if (page.nextPageToken() != null && !page.nextPageToken().isEmpty()) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /**
     * As MLflow: the whole history when the client gives neither {@code max_results} nor
     * {@code page_token} (older clients expect all points), else one page of the store's paged
     * history, at most {@link RunStore#MAX_HISTORY_RESULTS} points (a larger
     * {@code max_results} is served as that many, with a next_page_token for the rest).
     */
    ObjectNode metricHistory(MlflowRequest request) {
        String runId = request.requiredRunId();
        String key = request.requiredString("metric_key");
        Long maxResults = request.int64("max_results");
        String pageToken = ExperimentEndpoints.emptyToNull(request.string("page_token"));
        if (maxResults != null && maxResults < 1) {
            throw request.invalid("max_results", maxResults, "a positive integer");
        }
        List<Metric> points;
        String next = null;
        if (maxResults == null && pageToken == null) {
            points = runs.getMetricHistory(runId, key);
        } else {
            int size = (int) Math.min(maxResults == null ? Long.MAX_VALUE : maxResults, RunStore.MAX_HISTORY_RESULTS);
            Page<Metric> page = runs.getMetricHistory(runId, key, size, pageToken);
            points = page.items();
            next = page.nextPageToken();
        }
        ObjectNode out = MlflowWire.object();
        if (!points.isEmpty()) {
            ArrayNode array = out.putArray("metrics");
            points.forEach(m -> array.add(MlflowWire.metric(m)));
        }
        if (next != null) out.put("next_page_token", next);
        return out;
    }

    private static Metric metric(MlflowRequest item) {
        String key = item.requiredString("key");
        double value = item.requiredDouble("value");
        long timestamp = item.requiredInt64("timestamp");
        long step = item.int64OrDefault("step", 0L);
        return new Metric(key, value, timestamp, step);
    }
}

package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Tag;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** What runs log: metrics (and their history), params, tags and dataset inputs. */
public final class RunDataApi {

    static final String RUN = RunsApi.BASE + "/{run_id}";

    /** A metric point; {@code timestamp} defaults to now and {@code step} to 0. */
    public record LogMetric(String key, Double value, Long timestamp, Long step) {}

    public record LogBatch(List<LogMetric> metrics, List<Param> params, List<Tag> tags) {}

    public record LogInputs(List<DatasetInput> datasets) {}

    /** One page of a metric's history; {@code nextPageToken} is absent after the last. */
    public record MetricHistory(List<Metric> metrics, String nextPageToken) {}

    /**
     * Points per page of a metric's history unless the client asks otherwise: about 750 kB of
     * JSON, where a million-point history sent whole was 75 MB.
     */
    static final int HISTORY_PAGE = 10_000;

    private final RunStore runs;
    private final ObjectMapper mapper;
    private final LongSupplier clock;

    public RunDataApi(RunStore runs, ObjectMapper mapper, LongSupplier clock) {
        this.runs = runs;
        this.mapper = mapper;
        this.clock = clock;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post(RUN + "/batch", "Log metrics, params and tags at once: all stored or none")
                        .tag("metrics").body(LogBatch.class).status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::logBatch),
                ApiRoute.post(RUN + "/metrics", "Log one metric point").tag("metrics")
                        .body(LogMetric.class).status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::logMetric),
                ApiRoute.get(RUN + "/metrics/history", "The points of one metric, by step then timestamp, a page at a time")
                        .tag("metrics").requiredQuery("metric_key", "string", "The metric's key")
                        .paged(HISTORY_PAGE, RunStore.MAX_HISTORY_RESULTS).returns(MetricHistory.class)
                        .access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::history),
                ApiRoute.post(RUN + "/params", "Log a param; a param cannot change once logged").tag("metrics")
                        .body(Param.class).status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::logParam),
                ApiRoute.post(RUN + "/tags", "Set a tag on a run").tag("metrics")
                        .body(Tag.class).status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::setTag),
                ApiRoute.delete(RUN + "/tags/<key>", "Delete a run's tag").tag("metrics")
                        .status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::deleteTag),
                ApiRoute.post(RUN + "/inputs", "Record the datasets a run used").tag("metrics")
                        .body(LogInputs.class).status(204).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::logInputs));
    }

    private void logBatch(Context ctx) {
        LogBatch body = RequestBodies.read(ctx, mapper, LogBatch.class);
        List<Metric> metrics = new ArrayList<>();
        List<LogMetric> sent = Params.orEmpty(body.metrics());
        for (int i = 0; i < sent.size(); i++) {
            metrics.add(metric("metrics[" + i + "].", sent.get(i)));
        }
        List<Param> params = Params.orEmpty(body.params());
        for (int i = 0; i < params.size(); i++) {
            param("params[" + i + "].", params.get(i));
        }
        runs.logBatch(ctx.pathParam("run_id"), metrics, params, Params.tags(body.tags()));
        ctx.status(204);
    }

    private void logMetric(Context ctx) {
        LogMetric body = RequestBodies.read(ctx, mapper, LogMetric.class);
        runs.logMetric(ctx.pathParam("run_id"), metric("", body));
        ctx.status(204);
    }

    private void history(Context ctx) {
        String key = Params.required("metric_key", ctx.queryParam("metric_key"));
        Paging paging = Paging.from(ctx, HISTORY_PAGE, RunStore.MAX_HISTORY_RESULTS);
        Page<Metric> page = runs.getMetricHistory(ctx.pathParam("run_id"), key, paging.maxResults(), paging.pageToken());
        ctx.json(new MetricHistory(page.items(), page.nextPageToken()));
    }

    private void logParam(Context ctx) {
        Param body = RequestBodies.read(ctx, mapper, Param.class);
        runs.logParam(ctx.pathParam("run_id"), param("", body));
        ctx.status(204);
    }

    private void setTag(Context ctx) {
        Tag body = RequestBodies.read(ctx, mapper, Tag.class);
        runs.setTag(ctx.pathParam("run_id"), Params.tag(body));
        ctx.status(204);
    }

    private void deleteTag(Context ctx) {
        runs.deleteTag(ctx.pathParam("run_id"), ctx.pathParam("key"));
        ctx.status(204);
    }

    private void logInputs(Context ctx) {
        LogInputs body = RequestBodies.read(ctx, mapper, LogInputs.class);
        List<DatasetInput> inputs = Params.orEmpty(body.datasets());
        for (int i = 0; i < inputs.size(); i++) {
            DatasetInput input = inputs.get(i);
            String field = "datasets[" + i + "]";
            if (input == null || input.dataset() == null) throw CairnException.invalid(field + ".dataset", null, "a dataset object");
            Params.required(field + ".dataset.name", input.dataset().name());
            Params.required(field + ".dataset.digest", input.dataset().digest());
            Params.tags(input.tags());
        }
        runs.logInputs(ctx.pathParam("run_id"), inputs);
        ctx.status(204);
    }

    private Metric metric(String prefix, LogMetric m) {
        if (m == null) throw CairnException.invalid(prefix.isEmpty() ? "metric" : prefix.substring(0, prefix.length() - 1), null, "a metric object");
        String key = Params.required(prefix + "key", m.key());
        double value = Params.required(prefix + "value", m.value());
        return new Metric(key, value, m.timestamp() == null ? clock.getAsLong() : m.timestamp(), m.step() == null ? 0 : m.step());
    }

    private static Param param(String prefix, Param p) {
        if (p == null) throw CairnException.invalid(prefix.isEmpty() ? "param" : prefix.substring(0, prefix.length() - 1), null, "a param object");
        Params.required(prefix + "key", p.key());
        if (p.value() == null) throw CairnException.invalid(prefix + "value", null, "a string");
        return p;
    }
}

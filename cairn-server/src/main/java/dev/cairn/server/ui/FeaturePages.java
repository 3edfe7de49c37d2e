package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.features.online.OnlineService;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.features.FeaturesApi;
import dev.cairn.server.pipeline.ServerPipelines;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.Deployments;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The feature views and services (issue 15): each with its versions, the model versions trained on each version and
 * the pipeline steps that read it, and the deployments reading it. The definitions and the deployments come from the
 * same code the features API answers with ({@link FeaturesApi#readable}, {@link FeaturesApi#readers}), so the page
 * shows what the API shows to the same user: unreadable definitions are left out (their page is 403 at the route).
 *
 * <p>What "trained on" means is what training records (docs/features.md): a run that trained on view V version N has a
 * dataset input whose digest is the first 32 hex digits of that version's SHA-256, and tags naming the service and
 * its version; the model versions registered from those runs were trained on it. Pipeline steps record
 * {@code feature_view:V/N} and {@code feature_service:S/N} as lineage inputs.
 */
public final class FeaturePages {

    /** Runs read per definition version (newest first): a page a person reads, not an audit. */
    static final int MAX_RUNS = 50;
    /** Versions of one definition shown, newest first. */
    static final int MAX_VERSIONS = 20;
    static final String TAG_SERVICE = "cairn.features.service";
    static final String TAG_SERVICE_VERSION = "cairn.features.service.version";

    private final MetadataStore store;
    private final Deployments deployments;
    private final ServerPipelines pipelines;
    private final Pages pages;

    FeaturePages(MetadataStore store, Deployments deployments, ServerPipelines pipelines, Pages pages) {
        this.store = store;
        this.deployments = deployments;
        this.pipelines = pipelines;
        this.pages = pages;
    }

    public record Link(String label, String href) {}

    public record DefinitionRow(String name, String kind, long version, String createdBy, String createdAt, String href,
                                List<Link> deployments) {}

    public record FeaturesView(List<DefinitionRow> views, List<DefinitionRow> services) {}

    public record ReaderRow(String deployment, String href, String service, long serviceVersion, Long viewVersion) {}

    /** One version; {@code lineageHref} is null when no pipeline step recorded it (the lineage page would have no start). */
    public record VersionRow(long version, String sha256, String createdBy, String createdAt, String source, List<Link> models,
                             List<Link> steps, String lineageHref) {}

    public record FeatureView(String name, String kind, List<VersionRow> versions, boolean moreVersions, List<ReaderRow> deployments) {}

    void features(Context ctx) {
        List<DefinitionRow> views = new ArrayList<>();
        List<DefinitionRow> services = new ArrayList<>();
        for (FeatureDefinition d : FeaturesApi.readable(ctx, registry())) {
            if (d.kind() != FeatureKind.FEATURE_VIEW && d.kind() != FeatureKind.FEATURE_SERVICE) continue;
            List<Link> readers = FeaturesApi.readers(ctx, deployments, d.name()).stream()
                    .map(dep -> new Link(dep.name(), "/ui/deployments#deployment-" + Links.encode(dep.name()))).toList();
            DefinitionRow row = new DefinitionRow(d.name(), kind(d.kind()), d.version(), d.createdBy(), Links.time(d.createdAt().toEpochMilli()),
                    Links.feature(d.name()), readers);
            (d.kind() == FeatureKind.FEATURE_VIEW ? views : services).add(row);
        }
        pages.render(ctx, "features.jte", "Features", "features", new FeaturesView(views, services));
    }

    void feature(Context ctx) {
        String name = ctx.pathParam("name");
        List<FeatureDefinition> all = registry().versions(name);
        if (all.isEmpty()) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No feature definition '" + name + "' in the registry",
                    Map.of("field", "name", "value", name));
        }
        FeatureDefinition latest = all.getLast();
        if (latest.kind() != FeatureKind.FEATURE_VIEW && latest.kind() != FeatureKind.FEATURE_SERVICE) {
            throw CairnException.invalid("name", name, "a feature view or feature service (" + name + " is " + kind(latest.kind()) + ")");
        }
        Trained trained = new Trained(ctx);
        List<VersionRow> versions = new ArrayList<>();
        for (FeatureDefinition d : all.reversed().stream().limit(MAX_VERSIONS).toList()) {
            String uri = (d.kind() == FeatureKind.FEATURE_VIEW ? "feature_view:" : "feature_service:") + d.name() + "/" + d.version();
            List<Link> steps = trained.steps(uri);
            // The lineage page starts from a URI a pipeline recorded: without a step that read this version it has none.
            versions.add(new VersionRow(d.version(), d.sha256(), d.createdBy(), Links.time(d.createdAt().toEpochMilli()),
                    d.source() == null ? "" : d.source(), trained.models(d), steps, steps.isEmpty() ? null : Links.lineageOf(uri)));
        }
        List<ReaderRow> readers = new ArrayList<>();
        for (Deployment deployment : FeaturesApi.readers(ctx, deployments, name)) {
            OnlineService service = deployment.features();
            Long viewVersion = service.views().stream().filter(v -> v.name().equals(name)).findFirst().map(OnlineService.View::version).orElse(null);
            readers.add(new ReaderRow(deployment.name(), "/ui/deployments#deployment-" + Links.encode(deployment.name()), service.name(),
                    service.version(), viewVersion));
        }
        pages.render(ctx, "feature.jte", name, "features",
                new FeatureView(name, kind(latest.kind()), versions, all.size() > MAX_VERSIONS, readers));
    }

    private FeatureRegistry registry() {
        return store.features();
    }

    static String kind(FeatureKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** One request's reads: the experiments the user may read, found once, and each access decision made once. */
    private final class Trained {
        private final Context ctx;
        private final Map<ResourceKind, Predicate<String>> readable = new HashMap<>();
        private List<String> experiments;

        Trained(Context ctx) {
            this.ctx = ctx;
        }

        /** The model versions (the user may read) registered from the runs that trained on this version, newest run first. */
        List<Link> models(FeatureDefinition d) {
            String filter = d.kind() == FeatureKind.FEATURE_VIEW
                    ? "datasets.digest = '" + d.sha256().substring(0, 32) + "'"
                    : "tags.`" + TAG_SERVICE + "` = '" + d.name().replace("'", "''") + "' and tags.`" + TAG_SERVICE_VERSION + "` = '"
                            + d.version() + "'";
            Map<String, Link> out = new LinkedHashMap<>();
            for (Run run : runs(filter)) {
                String runId = run.info().runId();
                for (ModelVersion v : store.registry().searchModelVersions("run_id = '" + runId.replace("'", "''") + "'", List.of(), 100, null).items()) {
                    if (!can(ResourceKind.REGISTERED_MODEL, v.name())) continue;
                    out.putIfAbsent(v.name() + "/" + v.version(), new Link(v.name() + " v" + v.version(), Links.model(v.name()) + "#v" + v.version()));
                }
            }
            return List.copyOf(out.values());
        }

        /** The pipeline steps (of pipelines the user may read) that recorded {@code uri} as an input. */
        List<Link> steps(String uri) {
            if (pipelines == null) return List.of();
            Map<String, Link> out = new LinkedHashMap<>();
            for (LineageEdge e : pipelines.store().lineageOfArtifact(uri, LineageGraph.MAX_EDGES)) {
                if (e.direction() != LineageEdge.Direction.INPUT) continue;
                Optional<PipelineRun> run = pipelineRun(e.runId());
                if (run.isEmpty() || !can(ResourceKind.PIPELINE, run.get().pipeline())) continue;
                out.putIfAbsent(e.runId() + "/" + e.stepId(), new Link(run.get().pipeline() + " · " + e.stepId() + " · run " + e.runId(),
                        Links.pipelineRun(e.runId())));
            }
            return List.copyOf(out.values());
        }

        private Optional<PipelineRun> pipelineRun(String id) {
            try {
                return Optional.of(pipelines.store().getRun(id));
            } catch (CairnException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
                throw e;
            }
        }

        private List<Run> runs(String filter) {
            if (experiments == null) {
                experiments = new ArrayList<>();
                String token = null;
                do {
                    Page<Experiment> page = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of(), 1000, token);
                    for (Experiment e : page.items()) if (can(ResourceKind.EXPERIMENT, e.experimentId())) experiments.add(e.experimentId());
                    token = page.nextPageToken();
                } while (token != null && experiments.size() < 10_000);
            }
            if (experiments.isEmpty()) return List.of();
            return store.runs().searchRuns(experiments, filter, ViewType.ACTIVE_ONLY, List.of("attributes.start_time DESC"), MAX_RUNS, null,
                    List.of()).items();
        }

        private boolean can(ResourceKind kind, String name) {
            return readable.computeIfAbsent(kind, k -> AccessControl.readable(ctx, k)).test(name);
        }
    }
}

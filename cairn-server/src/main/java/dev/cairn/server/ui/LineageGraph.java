package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelAlias;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.log.PredictionLookup;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.pipeline.ServerPipelines;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.Deployments;
import dev.cairn.train.evaluation.Evaluations;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lineage graph around a starting point, built from what the server records: the prediction log (a request, or
 * every logged score of a customer), the registry (a version's source run, its evaluation, the aliases pointing at it
 * and who moved them), tracking (a run's dataset inputs, its parent, the pipeline step that started it, the versions
 * registered from it, the runs that read a dataset) and the pipelines' lineage edges (what each step read and wrote).
 *
 * <p>Edges point the way data flows, producer to consumer. From the start the graph follows edges against that
 * direction (everything the start was made from: upstream) and along it (everything made from the start: downstream),
 * each transitively, never sideways: the other versions a training run registered are not upstream of one of them.
 * Nodes the user may not read (with login on) are left out and not followed. At most {@value #MAX_NODES} nodes.
 */
final class LineageGraph {

    static final int MAX_NODES = 150;
    /** Lineage edges read per artifact, and runs per dataset: enough for a graph a person reads. */
    static final int MAX_EDGES = 200;
    static final int MAX_PREDICTIONS = 20;
    static final String CUSTOMER_FIELD = "customer_id";
    private static final Pattern MODEL_VERSION = Pattern.compile("models:/(.+)/(\\d+)");
    private static final Pattern RUN_ARTIFACT = Pattern.compile("runs:/([^/]+)(?:/(.*))?");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{6,64}");
    private static final Pattern FEATURE_URI = Pattern.compile("(feature_view|feature_service):(.+)/(\\d+)");
    /** The URI in a feature view's dataset input's source, as training records it. */
    private static final Pattern FEATURE_SOURCE = Pattern.compile("\"uri\"\\s*:\\s*\"feature_view:([^\"]+)/(\\d+)\"");

    /** A feature view's or service's page at one of its versions. */
    static String featureHref(String name, String version) {
        return Links.feature(name) + "#version-" + version;
    }
    /** Tags the pipelines' steps set on the tracking runs they start (see cairn-pipeline's StepRuns). */
    static final String TAG_PIPELINE_RUN = "cairn.pipeline.run_id", TAG_STEP = "cairn.pipeline.step", TAG_DATA = "cairn.pipeline.data";

    /** What a node is, which decides how the graph goes on from it (and how it is drawn). */
    enum Kind {
        PREDICTION, CUSTOMER, MODEL_VERSION, RUN, EVALUATION, DATASET, STEP, ARTIFACT, DEPLOYMENT, ALIAS;

        String cssClass() {
            return "lineage-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A node: {@code kind} for an artifact is what lineage calls it (snapshot, table, file, report…). */
    record Node(String id, Kind kind, String what, String label, String detail, String href) {}

    /** Data flows {@code from} → {@code to}. */
    record Edge(String from, String to, String label) {}

    /** The graph: its start, every node reached with the side it is on, and whether {@value #MAX_NODES} cut it. */
    record Graph(List<Node> starts, Map<String, Node> nodes, Map<String, String> side, List<Edge> edges, boolean truncated) {}

    private final MetadataStore store;
    private final ServerPipelines pipelines;
    private final Deployments deployments;
    private final Monitoring monitoring;

    LineageGraph(MetadataStore store, ServerPipelines pipelines, Deployments deployments, Monitoring monitoring) {
        this.store = store;
        this.pipelines = pipelines;
        this.deployments = deployments;
        this.monitoring = monitoring;
    }

    // ---- where a graph starts

    /** The starting nodes for a request: a prediction request id, a scored customer, a model version, a dataset hash or an artifact URI. */
    Start start(Context ctx, Query query) {
        Walk walk = new Walk(ctx);
        List<Node> starts = new ArrayList<>();
        switch (query) {
            case Query.Request r -> {
                for (PredictionLookup.LoggedPrediction p : predictions(PredictionLookup.REQUEST_ID, r.id(), 1)) {
                    walk.prediction(p).ifPresent(starts::add);
                }
                if (starts.isEmpty()) throw CairnException.notFound("logged prediction request", r.id());
            }
            case Query.Customer c -> {
                List<Node> scores = new ArrayList<>();
                for (PredictionLookup.LoggedPrediction p : predictions(c.field(), c.value(), MAX_PREDICTIONS)) walk.prediction(p).ifPresent(scores::add);
                if (scores.isEmpty()) throw CairnException.notFound("logged prediction with " + c.field(), c.value());
                Node customer = new Node("customer:" + c.field() + "=" + c.value(), Kind.CUSTOMER, "customer", c.field() + " " + c.value(),
                        scores.size() + " logged " + (scores.size() == 1 ? "score" : "scores"), null);
                walk.customerScores.put(customer.id(), scores);
                starts.add(customer);
            }
            case Query.Version v -> starts.add(walk.version(v.name(), v.version())
                    .orElseThrow(() -> CairnException.notFound("model version", v.name() + "/" + v.version())));
            case Query.Dataset d -> {
                if (!HASH.matcher(d.hash()).matches()) throw CairnException.invalid("dataset", d.hash(), "a dataset's hash: 6 to 64 hex digits");
                String hash = d.hash().toLowerCase(java.util.Locale.ROOT);
                walk.dataset(hash.length() > 32 ? hash.substring(0, 32) : hash).ifPresent(starts::add);
                if (hash.length() == 64) walk.uri("snapshot:" + hash).ifPresent(starts::add);
                if (starts.isEmpty()) throw CairnException.notFound("dataset with hash", d.hash());
            }
            case Query.Uri u -> starts.add(walk.uri(u.uri()).orElseThrow(() -> CairnException.notFound("artifact in the lineage", u.uri())));
        }
        return new Start(walk, starts);
    }

    /** Where a graph starts, as the lineage page's form asks. */
    sealed interface Query {
        record Request(String id) implements Query {}

        record Customer(String field, String value) implements Query {}

        record Version(String name, long version) implements Query {}

        record Dataset(String hash) implements Query {}

        record Uri(String uri) implements Query {}
    }

    record Start(Walk walk, List<Node> nodes) {
        Graph graph() {
            return walk.graph(nodes);
        }
    }

    private List<PredictionLookup.LoggedPrediction> predictions(String field, String value, int max) {
        if (monitoring == null) return List.of();
        return monitoring.predictions(field, value, max);
    }

    // ---- one walk over the graph, with what the user may read

    final class Walk {
        private final Context ctx;
        private final Map<ResourceKind, Map<String, Boolean>> readable = new HashMap<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, List<LineageEdge>> byRun = new HashMap<>();
        private final Map<String, List<LineageEdge>> byUri = new HashMap<>();
        final Map<String, List<Node>> customerScores = new HashMap<>();
        private final Map<String, PredictionLookup.LoggedPrediction> predictionsById = new HashMap<>();
        private final Map<String, Optional<PipelineRun>> pipelineRuns = new HashMap<>();
        private final Map<String, Optional<ScoreTarget>> scoreTargets = new HashMap<>();
        private List<String> experiments;

        Walk(Context ctx) {
            this.ctx = ctx;
        }

        private boolean canRead(ResourceKind kind, String name) {
            return readable.computeIfAbsent(kind, k -> new HashMap<>())
                    .computeIfAbsent(name, n -> !AccessControl.readable(ctx, kind, List.of(n), x -> x).isEmpty());
        }

        private Node keep(Node node) {
            Node known = nodes.putIfAbsent(node.id(), node);
            return known == null ? node : known;
        }

        Graph graph(List<Node> starts) {
            Map<String, String> side = new LinkedHashMap<>();
            List<Edge> edges = new ArrayList<>();
            Set<String> seenEdges = new LinkedHashSet<>();
            Map<String, Node> reached = new LinkedHashMap<>();
            for (Node s : starts) {
                reached.put(s.id(), s);
                side.put(s.id(), "start");
            }
            boolean truncated = false;
            for (boolean up : new boolean[] {true, false}) {
                Deque<Node> queue = new ArrayDeque<>(starts);
                Set<String> visited = new LinkedHashSet<>();
                while (!queue.isEmpty()) {
                    Node node = queue.removeFirst();
                    if (!visited.add(node.id())) continue;
                    for (Link link : up ? upstream(node) : downstream(node)) {
                        Node other = link.node();
                        if (!reached.containsKey(other.id())) {
                            if (reached.size() >= MAX_NODES) {
                                truncated = true;
                                continue;
                            }
                            reached.put(other.id(), other);
                            side.put(other.id(), up ? "upstream" : "downstream");
                        }
                        Edge edge = up ? new Edge(other.id(), node.id(), link.label()) : new Edge(node.id(), other.id(), link.label());
                        if (seenEdges.add(edge.from() + "\n" + edge.to())) edges.add(edge);
                        if (!visited.contains(other.id())) queue.addLast(other);
                    }
                }
            }
            return new Graph(starts, reached, side, edges, truncated);
        }

        // ---- nodes, each only when it exists and the user may read it

        Optional<Node> prediction(PredictionLookup.LoggedPrediction p) {
            if (!canRead(ResourceKind.DEPLOYMENT, p.deployment())) return Optional.empty();
            predictionsById.put("prediction:" + p.requestId(), p);
            String detail = p.deployment() + " · " + Links.time(p.time()) + (p.error() == null ? "" : " · refused");
            return Optional.of(keep(new Node("prediction:" + p.requestId(), Kind.PREDICTION, "prediction", "request " + p.requestId(), detail,
                    Links.monitoring(p.deployment()))));
        }

        Optional<Node> version(String name, long version) {
            if (!canRead(ResourceKind.REGISTERED_MODEL, name)) return Optional.empty();
            ModelVersion v;
            try {
                v = store.registry().getModelVersion(name, version);
            } catch (CairnException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
                throw e;
            }
            List<String> detail = new ArrayList<>();
            if (v.currentStage() != null && !v.currentStage().isBlank() && !v.currentStage().equals("None")) detail.add(v.currentStage());
            if (!v.aliases().isEmpty()) detail.add("@" + String.join(" @", v.aliases()));
            return Optional.of(keep(new Node("models:/" + name + "/" + version, Kind.MODEL_VERSION, "model version", name + " v" + version,
                    String.join(" · ", detail), Links.model(name) + "#v" + version)));
        }

        Optional<Node> run(String runId) {
            Run run = readableRun(runId);
            if (run == null) return Optional.empty();
            boolean evaluation = RunPages.tag(run, Evaluations.TAG_CANDIDATE).isPresent();
            String name = ExperimentPages.displayName(run);
            return Optional.of(keep(new Node("run:" + runId, evaluation ? Kind.EVALUATION : Kind.RUN, evaluation ? "evaluation" : "run",
                    (evaluation ? "evaluation " : "run ") + name, RunPages.tag(run, Evaluations.TAG_BLESSED).map(b -> "blessed " + b)
                    .orElse(run.info().status().name().toLowerCase(java.util.Locale.ROOT)),
                    evaluation ? Links.evaluation(runId) : Links.run(runId))));
        }

        private Run readableRun(String runId) {
            Run run;
            try {
                run = store.runs().getRun(runId);
            } catch (CairnException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST || e.code() == ErrorCode.INVALID_PARAMETER_VALUE) return null;
                throw e;
            }
            return canRead(ResourceKind.EXPERIMENT, run.info().experimentId()) ? run : null;
        }

        Optional<Node> dataset(String digest) {
            List<Run> runs = runsWithDataset(digest, 1);
            if (runs.isEmpty()) return Optional.empty();
            DatasetInput input = runs.getFirst().inputs().stream().filter(i -> i.dataset().digest().equals(digest)).findFirst().orElseThrow();
            return Optional.of(datasetNode(input));
        }

        private Node datasetNode(DatasetInput input) {
            String digest = input.dataset().digest();
            // A feature view a run trained on (training records it as a dataset input naming feature_view:NAME/N) opens the
            // view's page: its versions, the models trained on each, the deployments reading it. For a caller who may not
            // read the view, the node stays (it is an input of a run they may read, shown on the run's page too) but
            // links to the dataset's lineage instead of a page that would answer 403.
            Matcher feature = input.dataset().source() == null ? null : FEATURE_SOURCE.matcher(input.dataset().source());
            String href = feature != null && feature.find() && canRead(ResourceKind.FEATURE, feature.group(1))
                    ? featureHref(feature.group(1), feature.group(2))
                    : "/ui/lineage?dataset=" + Links.encode(digest);
            return keep(new Node("dataset:" + digest, Kind.DATASET, "dataset", input.dataset().name(), "digest " + digest, href));
        }

        /** A pipeline step of a run, when its pipeline is readable. */
        Optional<Node> step(String pipelineRunId, String stepId) {
            Optional<PipelineRun> run = pipelineRun(pipelineRunId);
            if (run.isEmpty() || !canRead(ResourceKind.PIPELINE, run.get().pipeline())) return Optional.empty();
            return Optional.of(keep(new Node("step:" + pipelineRunId + "/" + stepId, Kind.STEP, "step", run.get().pipeline() + " · " + stepId,
                    "run " + pipelineRunId, Links.pipelineRun(pipelineRunId))));
        }

        private Optional<PipelineRun> pipelineRun(String runId) {
            if (pipelines == null) return Optional.empty();
            return pipelineRuns.computeIfAbsent(runId, id -> {
                try {
                    return Optional.of(pipelines.store().getRun(id));
                } catch (CairnException e) {
                    if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST || e.code() == ErrorCode.INVALID_PARAMETER_VALUE) return Optional.empty();
                    throw e;
                }
            });
        }

        /** An artifact of the lineage: a model version or a run when its URI names one, else the artifact itself. */
        Optional<Node> artifact(String uri, String kind) {
            Matcher version = MODEL_VERSION.matcher(uri);
            if (version.matches()) return version(version.group(1), Long.parseLong(version.group(2)));
            Matcher feature = FEATURE_URI.matcher(uri);
            if (feature.matches()) {
                // Feature definitions are granted by name: one the user may not read is left out, as the API's lineage does.
                if (!canRead(ResourceKind.FEATURE, feature.group(2))) return Optional.empty();
                return Optional.of(keep(new Node(uri, Kind.ARTIFACT, kind, uri, kind.replace('_', ' '), featureHref(feature.group(2), feature.group(3)))));
            }
            String href = Links.lineageOf(uri);
            Matcher runArtifact = RUN_ARTIFACT.matcher(uri);
            if (runArtifact.matches()) {
                Run run = readableRun(runArtifact.group(1));
                if (run == null) return Optional.empty();
                String path = runArtifact.group(2);
                if (path == null || path.isEmpty()) return run(run.info().runId());
                String last = path.substring(path.lastIndexOf('/') + 1);
                // A file opens in the artifact preview, a folder (a logged model) in the run's artifact list.
                href = last.contains(".") ? Links.withQuery(Links.run(run.info().runId()) + "/artifact", List.of(Map.entry("path", path)))
                        : Links.withQuery(Links.run(run.info().runId()), List.of(Map.entry("path", path))) + "#artifacts";
            }
            String label = uri.startsWith("snapshot:") ? "snapshot " + uri.substring("snapshot:".length(), Math.min(uri.length(), 21)) + "…" : uri;
            return Optional.of(keep(new Node(uri, Kind.ARTIFACT, kind, label, kind, href)));
        }

        /** What a URI of the lineage page's form names: a model version, a run's artifact, or an artifact a readable pipeline recorded. */
        Optional<Node> uri(String uri) {
            if (MODEL_VERSION.matcher(uri).matches() || RUN_ARTIFACT.matcher(uri).matches()) return artifact(uri, "artifact");
            for (LineageEdge e : edges(uri)) {
                if (step(e.runId(), e.stepId()).isPresent()) return artifact(uri, e.kind());
            }
            return Optional.empty();
        }

        Optional<Node> deployment(String name) {
            if (!canRead(ResourceKind.DEPLOYMENT, name)) return Optional.empty();
            return Optional.of(keep(new Node("deployment:" + name, Kind.DEPLOYMENT, "deployment", name, "deployment",
                    "/ui/deployments#deployment-" + Links.encode(name))));
        }

        // ---- the edges of each kind of node

        private record Link(Node node, String label) {}

        /** The deployment and time a score step logged its predictions at. */
        private record ScoreTarget(String deployment, Instant time) {}

        private List<Link> upstream(Node node) {
            List<Link> out = new ArrayList<>();
            switch (node.kind()) {
                case CUSTOMER -> customerScores.getOrDefault(node.id(), List.of()).forEach(p -> out.add(new Link(p, "scored")));
                case PREDICTION -> {
                    PredictionLookup.LoggedPrediction p = predictionsById.get(node.id());
                    if (p != null) {
                        if (p.model() != null && p.modelVersion() != null && p.modelVersion().matches("\\d+")) {
                            version(p.model(), Long.parseLong(p.modelVersion())).ifPresent(v -> {
                                out.add(new Link(v, "answered"));
                                scoredBy(p, v.id()).forEach(s -> out.add(new Link(s, "scored")));
                            });
                        }
                        deployment(p.deployment()).ifPresent(d -> out.add(new Link(d, "served")));
                    }
                }
                case MODEL_VERSION -> {
                    Matcher m = MODEL_VERSION.matcher(node.id());
                    if (m.matches()) {
                        ModelVersion v = store.registry().getModelVersion(m.group(1), Long.parseLong(m.group(2)));
                        if (v.runId() != null && !v.runId().isBlank()) run(v.runId()).ifPresent(r -> out.add(new Link(r, "registered from")));
                    }
                    stepsOf(node.id(), LineageEdge.Direction.OUTPUT).forEach(s -> out.add(new Link(s, "registered")));
                }
                case RUN, EVALUATION -> {
                    Run run = readableRun(node.id().substring("run:".length()));
                    if (run == null) break;
                    for (DatasetInput input : run.inputs()) {
                        String context = input.tags().stream().filter(t -> t.key().equals(SystemTags.DATASET_CONTEXT)).map(Tag::value).findFirst().orElse("input");
                        out.add(new Link(datasetNode(input), context));
                    }
                    RunPages.tag(run, SystemTags.PARENT_RUN_ID).flatMap(this::run).ifPresent(p -> out.add(new Link(p, "child of")));
                    Optional<String> pipelineRun = RunPages.tag(run, TAG_PIPELINE_RUN);
                    Optional<String> step = RunPages.tag(run, TAG_STEP);
                    if (pipelineRun.isPresent() && step.isPresent()) step(pipelineRun.get(), step.get()).ifPresent(s -> out.add(new Link(s, "started")));
                    RunPages.tag(run, TAG_DATA).filter(d -> d.startsWith("snapshot:")).flatMap(d -> artifact(d, "snapshot"))
                            .ifPresent(a -> out.add(new Link(a, "trained on")));
                    RunPages.tag(run, Evaluations.TAG_CANDIDATE).filter(u -> MODEL_VERSION.matcher(u).matches()).flatMap(u -> artifact(u, "model_version"))
                            .ifPresent(v -> out.add(new Link(v, "evaluated")));
                }
                case STEP -> {
                    String[] ids = node.id().substring("step:".length()).split("/", 2);
                    for (LineageEdge e : lineageOfRun(ids[0])) {
                        if (e.stepId().equals(ids[1]) && e.direction() == LineageEdge.Direction.INPUT) {
                            artifact(e.uri(), e.kind()).ifPresent(a -> out.add(new Link(a, "read")));
                        }
                    }
                }
                case ARTIFACT -> {
                    stepsOf(node.id(), LineageEdge.Direction.OUTPUT).forEach(s -> out.add(new Link(s, "wrote")));
                    Matcher m = RUN_ARTIFACT.matcher(node.id());
                    if (m.matches()) run(m.group(1)).ifPresent(r -> out.add(new Link(r, "logged")));
                }
                case DATASET, DEPLOYMENT, ALIAS -> {
                    // Where a tracked dataset came from is not recorded; deployments and aliases start nothing upstream.
                }
            }
            return out;
        }

        private List<Link> downstream(Node node) {
            List<Link> out = new ArrayList<>();
            switch (node.kind()) {
                case MODEL_VERSION -> {
                    Matcher m = MODEL_VERSION.matcher(node.id());
                    if (!m.matches()) break;
                    String name = m.group(1);
                    long number = Long.parseLong(m.group(2));
                    stepsOf(node.id(), LineageEdge.Direction.INPUT).forEach(s -> out.add(new Link(s, "read")));
                    ModelVersion v = store.registry().getModelVersion(name, number);
                    v.tags().stream().filter(t -> t.key().equals(Evaluations.TAG_RUN)).findFirst().flatMap(t -> run(t.value()))
                            .ifPresent(e -> out.add(new Link(e, "evaluated")));
                    if (deployments != null) {
                        for (Deployment d : deployments.all()) {
                            boolean serves = d.routes().stream().anyMatch(r -> r.model().name().equals(name) && r.model().version().equals(Long.toString(number)));
                            if (serves) deployment(d.name()).ifPresent(n -> out.add(new Link(n, "serves")));
                        }
                    }
                    for (ModelAlias a : store.registry().getRegisteredModel(name).aliases()) {
                        if (a.version() != number) continue;
                        out.add(new Link(keep(new Node("alias:" + name + "@" + a.alias(), Kind.ALIAS, "alias", "@" + a.alias() + " of " + name,
                                whoSet(name, a.alias(), number), Links.model(name) + "#audit")), "points at"));
                    }
                }
                case RUN, EVALUATION -> {
                    String runId = node.id().substring("run:".length());
                    Page<ModelVersion> versions = store.registry().searchModelVersions("run_id = '" + runId.replace("'", "''") + "'", List.of(), 100, null);
                    for (ModelVersion v : versions.items()) version(v.name(), v.version()).ifPresent(n -> out.add(new Link(n, "registered")));
                    if (!edges("runs:/" + runId + "/model").isEmpty()) {
                        artifact("runs:/" + runId + "/model", "model").ifPresent(a -> out.add(new Link(a, "logged")));
                    }
                }
                case STEP -> {
                    String[] ids = node.id().substring("step:".length()).split("/", 2);
                    for (LineageEdge e : lineageOfRun(ids[0])) {
                        if (e.stepId().equals(ids[1]) && e.direction() == LineageEdge.Direction.OUTPUT) {
                            artifact(e.uri(), e.kind()).ifPresent(a -> out.add(new Link(a, "wrote")));
                        }
                    }
                }
                case ARTIFACT -> stepsOf(node.id(), LineageEdge.Direction.INPUT).forEach(s -> out.add(new Link(s, "read")));
                case DATASET -> {
                    String digest = node.id().substring("dataset:".length());
                    for (Run r : runsWithDataset(digest, 50)) run(r.info().runId()).ifPresent(n -> out.add(new Link(n, "read")));
                }
                case PREDICTION, CUSTOMER, DEPLOYMENT, ALIAS -> {
                    // Nothing is recorded as made from an answer, a deployment or an alias.
                }
            }
            return out;
        }

        /**
         * The score steps that logged a batch prediction: those that read its model version and wrote to its deployment's
         * log at its time (a step's tracking run keeps its resolved inputs as params: {@code deployment}, and
         * {@code prediction_time} or else the run's logical time). The log keeps no step id, so this is the match.
         */
        private List<Node> scoredBy(PredictionLookup.LoggedPrediction p, String versionUri) {
            List<Node> out = new ArrayList<>();
            for (LineageEdge e : edges(versionUri)) {
                if (e.direction() != LineageEdge.Direction.INPUT) continue;
                Optional<ScoreTarget> target = scoreTargets.computeIfAbsent(e.runId() + "/" + e.stepId(), k -> scoreTarget(e));
                if (target.isPresent() && target.get().deployment().equals(p.deployment()) && p.time().equals(target.get().time())) {
                    step(e.runId(), e.stepId()).ifPresent(out::add);
                }
            }
            return out;
        }

        /** Where a step that read a model version logged its scores: its {@code deployment} and prediction time, if it did. */
        private Optional<ScoreTarget> scoreTarget(LineageEdge e) {
            Optional<PipelineRun> pipelineRun = pipelineRun(e.runId());
            if (pipelineRun.isEmpty()) return Optional.empty();
            var step = pipelines.store().steps(e.runId()).stream().filter(s -> s.stepId().equals(e.stepId())).findFirst();
            if (step.isEmpty() || step.get().trackingRunId() == null) return Optional.empty();
            Run run = readableRun(step.get().trackingRunId());
            if (run == null) return Optional.empty();
            Map<String, String> params = new HashMap<>();
            run.data().params().forEach(param -> params.put(param.key(), param.value()));
            if (params.get("deployment") == null) return Optional.empty();
            Instant time = params.containsKey("prediction_time") ? instant(params.get("prediction_time")) : pipelineRun.get().logicalTime();
            return time == null ? Optional.empty() : Optional.of(new ScoreTarget(params.get("deployment"), time));
        }

        private static Instant instant(String text) {
            try {
                String t = text.strip();
                return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }

        /** The latest ALIAS_SET of {@code alias} to {@code version}: who moved it and why. */
        private String whoSet(String model, String alias, long version) {
            String token = null;
            int read = 0;
            do {
                Page<AuditEvent> page = store.registry().listAuditEvents(model, 200, token);
                for (AuditEvent e : page.items()) {
                    if (e.action() == AuditAction.ALIAS_SET && alias.equals(e.subject()) && Long.valueOf(version).equals(e.version())) {
                        return "set by " + e.actor() + (e.comment() == null || e.comment().isBlank() ? "" : ": " + e.comment());
                    }
                }
                read += page.items().size();
                token = page.nextPageToken();
            } while (token != null && read < 2000);
            return "";
        }

        private List<Node> stepsOf(String uri, LineageEdge.Direction direction) {
            List<Node> out = new ArrayList<>();
            for (LineageEdge e : edges(uri)) {
                if (e.direction() == direction) step(e.runId(), e.stepId()).ifPresent(out::add);
            }
            return out;
        }

        private List<LineageEdge> edges(String uri) {
            if (pipelines == null) return List.of();
            return byUri.computeIfAbsent(uri, u -> {
                try {
                    return pipelines.store().lineageOfArtifact(u, MAX_EDGES);
                } catch (CairnException e) {
                    // A text the store refuses as a URI names nothing it recorded.
                    if (e.code() == ErrorCode.INVALID_PARAMETER_VALUE) return List.of();
                    throw e;
                }
            });
        }

        private List<LineageEdge> lineageOfRun(String runId) {
            return byRun.computeIfAbsent(runId, id -> pipelines == null ? List.of() : pipelines.store().lineageOfRun(id));
        }

        /** Runs of the experiments the user may read whose dataset inputs have this digest, newest first. */
        private List<Run> runsWithDataset(String digest, int max) {
            if (experiments == null) {
                experiments = new ArrayList<>();
                String token = null;
                do {
                    Page<Experiment> page = store.experiments().searchExperiments(ViewType.ACTIVE_ONLY, null, List.of(), 1000, token);
                    for (Experiment e : page.items()) if (canRead(ResourceKind.EXPERIMENT, e.experimentId())) experiments.add(e.experimentId());
                    token = page.nextPageToken();
                } while (token != null && experiments.size() < 10_000);
            }
            if (experiments.isEmpty()) return List.of();
            return store.runs().searchRuns(experiments, "datasets.digest = '" + digest.replace("'", "''") + "'", ViewType.ACTIVE_ONLY,
                    List.of("attributes.start_time DESC"), max, null).items();
        }
    }
}

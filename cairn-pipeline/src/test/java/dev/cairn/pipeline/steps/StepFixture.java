package dev.cairn.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.Retry;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.spec.ValueKind;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Real components for step tests: a SQLite metadata store and a local artifact root in a temporary directory, a
 * snapshot store in it, a local workspace, and the engine's StepContext built directly, with a sink that collects
 * log lines and lineage edges. Each context gets a step run of its own, as the engine opens one per step.
 */
final class StepFixture implements AutoCloseable {
    static final Path EXAMPLES = Path.of("../examples/credit-risk").toAbsolutePath().normalize();
    static final Path CREDIT = EXAMPLES.resolve("credit-g.csv");
    static final Path SCHEMA = EXAMPLES.resolve("schema.yaml");
    static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");
    static final String RUN_ID = "run-0001";
    static final String USER = "pipeline-bot";

    /** A log line as the sink saw it. */
    record Line(String level, String message) {}

    /** A lineage edge as the sink saw it. */
    record Edge(LineageEdge.Direction direction, String kind, String uri, String sha256) {}

    /** Everything one context sent to its sink. */
    static final class Sink implements StepContext.Sink {
        private final List<Line> lines = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();

        @Override
        public synchronized void log(String level, String message) {
            lines.add(new Line(level, message));
        }

        @Override
        public synchronized void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256) {
            edges.add(new Edge(direction, kind, uri, sha256));
        }

        synchronized List<Line> lines() {
            return List.copyOf(lines);
        }

        synchronized List<Edge> edges() {
            return List.copyOf(edges);
        }

        synchronized List<Edge> inputs() {
            return edges.stream().filter(e -> e.direction() == LineageEdge.Direction.INPUT).toList();
        }

        synchronized List<Edge> outputs() {
            return edges.stream().filter(e -> e.direction() == LineageEdge.Direction.OUTPUT).toList();
        }

        synchronized String log() {
            return lines.stream().map(l -> l.level() + " " + l.message()).collect(Collectors.joining("\n"));
        }
    }

    final Path dir;
    final Path workspaceDir;
    final MetadataStore store;
    final Tracking tracking;
    final ArtifactRepository artifacts;
    final Snapshots snapshots;
    final String stepsExperimentId;
    final Map<String, String> environment = new HashMap<>();
    private Workspace workspace;
    private int contexts;

    StepFixture(Path dir) {
        this.dir = dir;
        this.workspaceDir = dir.resolve("workspace");
        try {
            Files.createDirectories(workspaceDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        tracking = Tracking.of(store).as(USER);
        artifacts = Stores.openArtifacts(dir.resolve("artifacts").toUri().toString());
        snapshots = new Snapshots(artifacts, "snapshots", Clock.fixed(NOW, ZoneOffset.UTC));
        workspace = Workspace.local(workspaceDir);
        stepsExperimentId = tracking.experimentId("pipeline-steps");
    }

    void workspace(Workspace other) {
        workspace = other;
    }

    Workspace workspace() {
        return workspace;
    }

    PipelineServices services() {
        Function<String, String> env = environment::get;
        return new PipelineServices(tracking, snapshots, workspace, Clock.fixed(NOW, ZoneOffset.UTC), env, dir.resolve("scratch"))
                .withFeatures(store.features());
    }

    /** A step as the spec would declare it, with its {@code with} already resolved. */
    static Step step(StepType type, String id, Map<String, Object> with) {
        return new Step(id, type, null, List.of(), with, null, Retry.NONE, null, true, List.of(), 1);
    }

    /** A first attempt of a step, with a step run of its own and a fresh work directory. */
    Attempt attempt(StepType type, String id, Map<String, Object> with) {
        return attempt(type, id, with, 1, () -> false);
    }

    Attempt attempt(StepType type, String id, Map<String, Object> with, int attempt, BooleanSupplier cancelled) {
        Run stepRun = tracking.runs().createRun(stepsExperimentId, USER, NOW.toEpochMilli(), "nightly." + id,
                List.of(new Tag(StepRuns.TAG_PIPELINE_RUN, RUN_ID), new Tag(StepRuns.TAG_STEP, id)));
        Sink sink = new Sink();
        Path workDir = dir.resolve("scratch").resolve(id + "-" + (++contexts));
        StepContext.RunInfo run = new StepContext.RunInfo("nightly", RUN_ID, NOW, "manual", null, null, USER);
        StepContext context = new StepContext(run, step(type, id, with), with, stepRun.info().runId(), attempt, services(), workDir,
                sink, cancelled);
        return new Attempt(context, sink, stepRun.info().runId());
    }

    /** One attempt: its context, what it logged and recorded, and its step run. */
    record Attempt(StepContext context, Sink sink, String stepRunId) {}

    Map<String, String> tags(String runId) {
        return tracking.runs().getRun(runId).data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    /** The run's artifact at {@code path}, as text. */
    String artifact(String runsUri) {
        String rest = runsUri.substring("runs:/".length());
        int slash = rest.indexOf('/');
        Run run = tracking.runs().getRun(rest.substring(0, slash));
        ArtifactRepository repo = tracking.runArtifacts().apply(run.info());
        try (var in = repo.open(rest.substring(slash + 1))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The result has exactly the outputs the type declares, each of the declared kind (a number may be null). */
    static void assertDeclaredOutputs(StepType type, StepResult result) {
        assertThat(result.outputs().keySet()).containsExactlyElementsOf(type.outputs().stream().map(StepType.Output::name).toList());
        for (StepType.Output o : type.outputs()) {
            Object value = result.outputs().get(o.name());
            if (o.kind() == ValueKind.NUMBER && value == null) continue;
            Class<?> expected = switch (o.kind()) {
                case BOOLEAN -> Boolean.class;
                case INTEGER -> Long.class;
                case NUMBER -> Number.class;
                case LIST -> List.class;
                default -> String.class;
            };
            assertThat(value).as(type.label() + " output " + o.name()).isInstanceOf(expected);
        }
    }

    /** The first {@code rows} rows of the credit data, as a CSV in the workspace: enough for a model, quick to score. */
    Path creditSample(String name, int rows) throws IOException {
        List<String> lines = Files.readAllLines(CREDIT);
        Path file = workspaceDir.resolve(name);
        Files.write(file, lines.subList(0, rows + 1));
        return file;
    }

    /** A CSV of the credit data in the workspace, each line passed through {@code edit} (the header unchanged). */
    Path creditCopy(String name, Function<String[], String[]> edit) throws IOException {
        List<String> lines = Files.readAllLines(CREDIT);
        List<String> out = new ArrayList<>();
        out.add(lines.getFirst());
        for (String line : lines.subList(1, lines.size())) out.add(String.join(",", edit.apply(line.split(",", -1))));
        Path file = workspaceDir.resolve(name);
        Files.write(file, out);
        return file;
    }

    @Override
    public void close() {
        store.close();
    }
}

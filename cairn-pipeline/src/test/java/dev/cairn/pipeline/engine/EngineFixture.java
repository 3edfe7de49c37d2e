package dev.cairn.pipeline.engine;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.pipeline.snapshot.MutableClock;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SQLite metadata store and local artifact directory in a test's directory, a clock the test moves, and
 * step runners whose behaviour each test scripts per step id: the engine's plug-in contract, implemented for the
 * test (the production runners are tested on their own in dev.cairn.pipeline.steps).
 */
final class EngineFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-02T01:00:00Z");

    /** What a scripted step does on each call. */
    interface Behaviour {
        StepResult run(StepContext context, int call) throws Exception;
    }

    final Path dir;
    final MetadataStore metadata;
    final ArtifactRepository artifacts;
    final MutableClock clock = new MutableClock(START);
    final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    final StepRunners runners = new StepRunners();
    private final List<PipelineEngine> engines = new ArrayList<>();

    EngineFixture(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir.resolve("work"));
        metadata = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        artifacts = Stores.openArtifacts(dir.resolve("artifacts").toUri().toString());
        for (StepType type : StepType.values()) runners.add(scripted(type));
    }

    private StepRunner scripted(StepType type) {
        return new StepRunner() {
            @Override
            public StepType type() {
                return type;
            }

            @Override
            public StepResult run(StepContext context) throws Exception {
                String id = context.step().id();
                int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                order.add(id);
                Behaviour b = behaviours.get(id);
                return b == null ? StepResult.of(Map.of()) : b.run(context, call);
            }
        };
    }

    int calls(String stepId) {
        AtomicInteger n = calls.get(stepId);
        return n == null ? 0 : n.get();
    }

    PipelineServices services(Workspace workspace) {
        return new PipelineServices(Tracking.of(metadata), new Snapshots(artifacts), workspace, clock, Map.of("DB_PASSWORD", "s3cret")::get,
                dir.resolve("scratch"));
    }

    PipelineEngine engine(String owner) {
        return engine(owner, Workspace.local(dir.resolve("work")));
    }

    PipelineEngine engine(String owner, Workspace workspace) {
        PipelineEngine engine = new PipelineEngine(metadata.pipelines(), services(workspace), runners, owner);
        engines.add(engine);
        return engine;
    }

    /** Writes a spec into the work directory and parses it from there (so its relative paths resolve there). */
    PipelineSpec spec(String yaml) throws Exception {
        Path file = dir.resolve("work").resolve("pipeline-" + Integer.toHexString(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        return PipelineSpec.read(file);
    }

    @Override
    public void close() {
        engines.forEach(PipelineEngine::close);
        metadata.close();
    }
}

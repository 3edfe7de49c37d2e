package dev.cairn.bench.pipeline;

import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.example.MasterData;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.steps.StandardSteps;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example retrain pipeline run cold, then again with nothing changed (same master data, same specs, same code
 * version), as {@code cairn pipelines run retrain.yaml} runs it: in process, on an embedded SQLite store. The
 * steps that need a server's deployments (canary, first-deploy) and those that only follow them (promote,
 * tell-canary, tell-first-release) are removed from a copy of the spec; everything else is the example's own.
 */
final class CachedRetrain {
    /** The retrain steps that need cairn server (deploy, canary) or only follow one of them. */
    static final Set<String> SERVER_STEPS = Set.of("canary", "promote", "first-deploy", "tell-canary", "tell-first-release");
    static final List<String> LOCAL_STEPS = List.of("read", "holdout", "validate", "tune", "evaluate", "register", "first-release",
            "tell-not-blessed");
    private static final String EXAMPLE = "/dev/cairn/pipeline/example/";
    private static final Pattern STEP = Pattern.compile("^  - id: (\\S+)\\s*$");

    /** One step of one run: its state, its time and why (the engine's message), and its outputs. */
    record StepTime(String id, String state, long millis, String message, String outputs) {}

    /** One run: its wall time, end state and steps; store calls of the run. */
    record RunTime(String label, long nanos, String state, List<StepTime> steps, Map<String, StoreTimings.Cost> storeCosts) {}

    private CachedRetrain() {}

    static List<RunTime> measure(Path dir, int reruns) throws Exception {
        Files.createDirectories(dir);
        for (String file : List.of("schema.yaml", "space.yaml")) Files.writeString(dir.resolve(file), resource(file));
        Path specFile = dir.resolve("retrain.yaml");
        Files.writeString(specFile, withoutServerSteps(resource("retrain.yaml")));
        PipelineSpec spec = PipelineSpec.read(specFile);
        List<String> ids = spec.steps().stream().map(Step::id).toList();
        if (!ids.equals(LOCAL_STEPS)) throw new IllegalStateException("The local retrain variant has steps " + ids + ", expected " + LOCAL_STEPS);

        long made = System.nanoTime();
        MasterData.create("jdbc:sqlite:" + dir.resolve("master.db"), MasterData.Settings.of(42, LocalDate.of(2024, 3, 1)));
        System.err.printf("[bench] master data made in %.1f s%n", (System.nanoTime() - made) / 1e9);

        StoreTimings timings = new StoreTimings();
        String artifactRoot = dir.resolve("store/artifacts").toUri().toString();
        MetadataStore raw = Stores.openMetadata("sqlite:" + dir.resolve("store/cairn.db"), artifactRoot);
        MetadataStore metadata = timings.wrap(raw);
        PipelineServices services = new PipelineServices(Tracking.of(metadata), new Snapshots(Stores.openArtifacts(artifactRoot)),
                Workspace.local(dir), Clock.systemUTC(), System::getenv, dir.resolve("scratch"));
        List<RunTime> runs = new ArrayList<>();
        try (PipelineEngine engine = new PipelineEngine(metadata.pipelines(), services, new StepRunners().addAll(StandardSteps.all()), "bench")) {
            for (int i = 0; i <= reruns; i++) {
                String label = i == 0 ? "cold run" : "re-run " + i + ", nothing changed";
                timings.reset();
                long start = System.nanoTime();
                PipelineRun run = engine.run(spec, RunRequest.manual("bench"), null);
                long took = System.nanoTime() - start;
                List<StepTime> steps = new ArrayList<>();
                for (StepRun s : metadata.pipelines().steps(run.runId())) {
                    long ms = s.startedAt() == null || s.endedAt() == null ? 0 : Duration.between(s.startedAt(), s.endedAt()).toMillis();
                    steps.add(new StepTime(s.stepId(), s.state().name(), ms, s.message(), s.outputsJson()));
                }
                runs.add(new RunTime(label, took, run.state().name() + (run.message() == null ? "" : ": " + run.message()), steps,
                        timings.snapshot()));
                System.err.printf("[bench] retrain %s: %s in %.2f s%n", label, run.state(), took / 1e9);
            }
        } finally {
            raw.close();
        }
        return runs;
    }

    /** The spec text with the server-only step blocks removed (a comment line right above a step belongs to it). */
    static String withoutServerSteps(String yaml) {
        List<String> lines = yaml.lines().toList();
        List<Integer> starts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = STEP.matcher(lines.get(i));
            if (m.matches()) {
                int start = i;
                while (start > 0 && lines.get(start - 1).startsWith("  #")) start--;
                starts.add(start);
                ids.add(m.group(1));
            }
        }
        StringBuilder out = new StringBuilder();
        int block = -1;
        for (int i = 0; i < lines.size(); i++) {
            while (block + 1 < starts.size() && i >= starts.get(block + 1)) block++;
            if (block >= 0 && SERVER_STEPS.contains(ids.get(block))) continue;
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MasterData.class.getResourceAsStream(EXAMPLE + name)) {
            if (in == null) throw new IOException("No resource " + EXAMPLE + name + " in cairn-pipeline");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

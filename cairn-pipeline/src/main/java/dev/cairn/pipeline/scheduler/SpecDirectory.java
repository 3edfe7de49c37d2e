package dev.cairn.pipeline.scheduler;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The server's pipelines directory, as Airflow's DAG folder: every {@code *.yaml} / {@code *.yml} file directly in
 * it with a top-level {@code steps:} key, or {@code pipeline.yaml} in a subdirectory of it, is a pipeline spec. {@link #sync} registers each valid spec
 * (a changed file becomes a new version), reports the invalid ones without touching what was registered from them,
 * and removes pipelines whose file is gone. The files a spec names (schemas, search spaces) sit beside it.
 */
public final class SpecDirectory {
    private final Path directory;

    public SpecDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** A spec file that could not be registered, and why. */
    public record Problem(Path file, String message) {}

    /** What a sync did. */
    public record Result(List<PipelineDefinition> registered, List<String> removed, List<Problem> problems) {}

    public Result sync(PipelineStore store, String actor) {
        List<PipelineDefinition> registered = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path file : specFiles()) {
            PipelineSpec spec;
            try {
                spec = PipelineSpec.read(file);
            } catch (CairnException e) {
                problems.add(new Problem(file, e.getMessage()));
                continue;
            }
            Path other = byName.putIfAbsent(spec.name(), file);
            if (other != null) {
                problems.add(new Problem(file, "pipeline '" + spec.name() + "' is already defined by " + other));
                continue;
            }
            registered.add(store.putPipeline(spec.name(), spec.text(), spec.sha256(), file.toString(), actor));
        }
        List<String> removed = new ArrayList<>();
        for (PipelineDefinition definition : store.listPipelines()) {
            if (byName.containsKey(definition.name()) || definition.source() == null) continue;
            Path source = Path.of(definition.source()).toAbsolutePath().normalize();
            // Only what this directory registered is this directory's to remove; a file with problems stays registered.
            if (source.startsWith(directory) && !Files.exists(source)) {
                store.deletePipeline(definition.name(), actor);
                removed.add(definition.name());
            }
        }
        return new Result(registered, removed, problems);
    }

    /** The spec's directory, where its relative paths resolve. */
    public static Path directoryOf(PipelineDefinition definition, Path fallback) {
        if (definition.source() == null) return fallback;
        Path parent = Path.of(definition.source()).toAbsolutePath().normalize().getParent();
        return parent == null ? fallback : parent;
    }

    /**
     * Whether a YAML file beside the specs is one: it has a top-level {@code steps:} key. The files specs name (a
     * schema, a search space) sit in the same directory and are not reported as broken specs.
     */
    private static boolean declaresSteps(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.anyMatch(l -> l.startsWith("steps:"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return true; // unreadable: let the parser say why
        }
    }

    private List<Path> specFiles() {
        if (!Files.isDirectory(directory)) return List.of();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".")
                        && declaresSteps(p)) files.add(p);
                else if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("pipeline.yaml"))) files.add(p.resolve("pipeline.yaml"));
            }
        } catch (IOException e) {
            throw CairnException.invalid("pipelines directory", directory.toString(), "a readable directory (" + e.getMessage() + ")");
        }
        return files;
    }
}

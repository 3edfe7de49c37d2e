package dev.cairn.features;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.AppliedFeatureDefinition;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureDefinitionDraft;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Definition;
import dev.cairn.features.definition.DefinitionCheck;
import dev.cairn.features.definition.DefinitionFiles;
import dev.cairn.features.definition.DefinitionJson;
import dev.cairn.features.definition.DefinitionProblems;
import dev.cairn.features.definition.DefinitionReader;
import dev.cairn.features.offline.FeatureTraining;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.features.offline.TrainingSets;
import dev.cairn.features.online.Materializer;
import dev.cairn.features.online.OnlineFeatures;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.source.SourceOpener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The feature store's one service, which the CLI (and later the server and pipeline steps) call: apply definition
 * files to the registry, list and show what is applied, build point-in-time training sets, materialize views into an
 * online store and read features from it. What it may read is its {@link DataAccess}.
 */
public final class FeatureStore {
    private final FeatureRegistry registry;
    private final SourceOpener sources;

    /**
     * @param environment where a JDBC source's {@code password_env} is looked up ({@code System::getenv})
     */
    public FeatureStore(FeatureRegistry registry, DataAccess access, Function<String, String> environment) {
        this.registry = registry;
        this.sources = new SourceOpener(access, environment);
    }

    /** What a person running the CLI may read: any file, any JDBC URL. */
    public static DataAccess unconfined() {
        return new DataAccess(List.of(Path.of("/").toAbsolutePath()), Map.of(), List.of("jdbc:"));
    }

    /** What one apply did: every definition of the files, created or unchanged, in the files' order. */
    public record Applied(List<Path> files, List<AppliedFeatureDefinition> definitions) {
        public long created() {
            return definitions.stream().filter(AppliedFeatureDefinition::created).count();
        }
    }

    /**
     * Reads the definition file or every one under a directory, checks them all (each problem with its file, line and
     * path, all reported together) against each other and the registry, and applies them in one transaction: an
     * unchanged definition gets no new version.
     */
    public Applied apply(Path fileOrDirectory, String actor) {
        List<Path> files = DefinitionFiles.list(fileOrDirectory);
        DefinitionProblems problems = new DefinitionProblems();
        List<DefinitionReader.Result> read = new ArrayList<>();
        for (Path file : files) {
            Path directory = file.toAbsolutePath().normalize().getParent();
            read.add(DefinitionReader.readFile(DefinitionFiles.read(file), file.toString(), problems.of(file.toString()),
                    sources.places(directory)));
        }
        if (!problems.isEmpty()) throw problems.exception();
        Map<String, Definition> registered = new LinkedHashMap<>(Catalog.of(registry).definitions());
        DefinitionCheck.check(read, registered, problems);
        if (!problems.isEmpty()) throw problems.exception();
        List<FeatureDefinitionDraft> drafts = new ArrayList<>();
        for (DefinitionReader.Result result : read) {
            for (DefinitionReader.Located located : result.definitions()) {
                Definition d = located.definition();
                drafts.add(new FeatureDefinitionDraft(d.name(), d.kind(), DefinitionJson.write(d), located.site().file()));
            }
        }
        return new Applied(files, registry.apply(drafts, actor));
    }

    /** The latest version of every definition, by kind then name. */
    public List<FeatureDefinition> list() {
        return registry.list();
    }

    /** A definition's latest version, or the one given. */
    public FeatureDefinition show(String name, Long version) {
        return (version == null ? registry.get(name) : registry.get(name, version)).orElseThrow(() -> {
            List<FeatureDefinition> versions = registry.versions(name);
            if (versions.isEmpty()) {
                return new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No feature definition '" + name + "' in the registry",
                        Map.of("field", "name", "value", name));
            }
            return CairnException.invalid("version", version, "a version of '" + name + "' from 1 to " + versions.getLast().version());
        });
    }

    /** What a stored version defines. */
    public Definition definition(FeatureDefinition stored) {
        return DefinitionJson.read(stored);
    }

    /** The definitions applied now, for an engine other than DuckDB that builds training sets (cairn-spark's). */
    public Catalog catalog() {
        return Catalog.of(registry);
    }

    /** How sources are opened within this store's access (the same refusals on every engine). */
    public SourceOpener sources() {
        return sources;
    }

    /** Builds a point-in-time correct training set; see {@link TrainingSets}. */
    public TrainingSet trainingSet(String service, DataSource entities, String timestampColumn, Path output, Progress progress) {
        return new TrainingSets(sources).build(Catalog.of(registry), service, entities, timestampColumn, output, progress);
    }

    /**
     * Builds a training set to train on (see {@link TrainingSets}) and describes what the training run must record and
     * leave out: the tags and dataset inputs naming the service and views at their versions, and the join keys and
     * time, which are not features. {@code cairn train --feature-service} and the pipeline's train and tune steps call it.
     */
    public FeatureTraining forTraining(String service, DataSource entities, String timestampColumn, Path output, Progress progress) {
        Catalog catalog = Catalog.of(registry);
        TrainingSet set = new TrainingSets(sources).build(catalog, service, entities, timestampColumn, output, progress);
        return FeatureTraining.of(set, catalog, timestampColumn);
    }

    /** Materializes one view (or every one, {@code view} null) into {@code store} as of {@code asOf}; see {@link Materializer}. */
    public List<Materializer.Result> materialize(OnlineStore store, String view, Instant asOf, boolean full, Progress progress) {
        return new Materializer(sources).materialize(Catalog.of(registry), store, view, asOf, full, progress);
    }

    /** A service's features for entity rows (their join keys) from {@code store}, TTLs applied at {@code now}. */
    public List<Map<String, Object>> online(OnlineStore store, String service, List<Map<String, Object>> entities, Instant now) {
        return OnlineFeatures.read(Catalog.of(registry), store, service, entities, now);
    }
}

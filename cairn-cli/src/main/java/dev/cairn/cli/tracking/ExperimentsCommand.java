package dev.cairn.cli.tracking;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn experiments …}: list, show, create, rename, delete, restore and purge experiments. */
@Command(name = "experiments", mixinStandardHelpOptions = true,
        description = "List, show, create, rename, delete, restore and purge experiments.",
        subcommands = {
                ExperimentsCommand.ListExperiments.class,
                ExperimentsCommand.Show.class,
                ExperimentsCommand.Create.class,
                ExperimentsCommand.Rename.class,
                ExperimentsCommand.Delete.class,
                ExperimentsCommand.Restore.class,
                ExperimentsCommand.Purge.class
        })
public final class ExperimentsCommand {

    /** Finds an experiment by id, or else by name. */
    static Experiment resolve(ExperimentStore experiments, String idOrName) {
        if (idOrName.chars().allMatch(Character::isDigit)) {
            try {
                return experiments.getExperiment(idOrName);
            } catch (CairnException notAnId) {
                // fall through: a purely numeric name is allowed
            }
        }
        return experiments.getExperimentByName(idOrName).orElseThrow(() -> CairnException.notFound("Experiment", idOrName));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments.")
    static final class ListExperiments implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;

        @Option(names = "--view", defaultValue = "ACTIVE_ONLY", description = "ACTIVE_ONLY, DELETED_ONLY or ALL (default: ${DEFAULT-VALUE}).")
        ViewType view;

        @Option(names = "--filter", description = "MLflow experiment filter, e.g. \"name LIKE 'credit%%'\".")
        String filter;

        @Option(names = "--max", defaultValue = "1000", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int max;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                List<Experiment> all = new ArrayList<>();
                String token = null;
                do {
                    Page<Experiment> page = s.experiments().searchExperiments(view, filter, List.of(), Math.min(max - all.size(), 1000), token);
                    all.addAll(page.items());
                    token = page.nextPageToken();
                } while (token != null && all.size() < max);
                if (output.json()) {
                    output.printJson(System.out, all);
                } else {
                    Output.printTable(System.out, List.of("ID", "NAME", "STAGE", "CREATED", "ARTIFACT LOCATION"),
                            all.stream().map(e -> List.of(e.experimentId(), e.name(), e.lifecycleStage().wireName(),
                                    Output.time(e.creationTime()), e.artifactLocation())).toList());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one experiment, by id or name.")
    static final class Show implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(paramLabel = "ID_OR_NAME") String experiment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                Experiment e = resolve(s.experiments(), experiment);
                if (output.json()) {
                    output.printJson(System.out, e);
                } else {
                    List<List<String>> rows = new ArrayList<>(List.of(
                            List.of("id", e.experimentId()),
                            List.of("name", e.name()),
                            List.of("stage", e.lifecycleStage().wireName()),
                            List.of("created", Output.time(e.creationTime())),
                            List.of("updated", Output.time(e.lastUpdateTime())),
                            List.of("artifacts", e.artifactLocation())));
                    e.tags().forEach(t -> rows.add(List.of("tag " + t.key(), t.value())));
                    Output.printTable(System.out, List.of("FIELD", "VALUE"), rows);
                }
                return 0;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an experiment and print its id.")
    static final class Create implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--artifact-location", paramLabel = "URI", description = "Where its runs' artifacts go (default: under the artifact root).")
        String artifactLocation;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                System.out.println(s.experiments().createExperiment(name, artifactLocation, List.of()));
                return 0;
            }
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename an experiment.")
    static final class Rename implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(index = "0", paramLabel = "ID_OR_NAME") String experiment;
        @Parameters(index = "1", paramLabel = "NEW_NAME") String newName;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.experiments().renameExperiment(resolve(s.experiments(), experiment).experimentId(), newName);
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an experiment and its runs (restorable until purged).")
    static final class Delete implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "ID_OR_NAME") String experiment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.experiments().deleteExperiment(resolve(s.experiments(), experiment).experimentId());
                return 0;
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a deleted experiment and its runs.")
    static final class Restore implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "ID_OR_NAME") String experiment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.experiments().restoreExperiment(resolve(s.experiments(), experiment).experimentId());
                return 0;
            }
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Permanently remove a deleted experiment and its runs, so that its name can be used again.")
    static final class Purge implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "ID_OR_NAME") String experiment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                String id = resolve(s.experiments(), experiment).experimentId();
                s.experiments().purgeExperiment(id);
                // Gone for good: its grants go too (the default experiment, purged, comes back with the same id).
                s.auth().deleteGrants(ResourceKind.EXPERIMENT, id);
                return 0;
            }
        }
    }
}

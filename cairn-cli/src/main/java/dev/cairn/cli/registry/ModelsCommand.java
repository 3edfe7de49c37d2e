package dev.cairn.cli.registry;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.model.ModelsDownloadCommand;
import dev.cairn.cli.model.ModelsImportOnnxCommand;
import dev.cairn.cli.model.ModelsPredictCommand;
import dev.cairn.cli.model.ModelsReferenceCommand;
import dev.cairn.cli.model.ModelsRegisterCommand;
import dev.cairn.core.registry.ModelAlias;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn models …}: registered models and their versions; register, predict and download are in dev.cairn.cli.model. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Register, list, show, download registered models and predict with them.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.ShowModel.class, ModelsCommand.Versions.class,
                ModelsRegisterCommand.class, ModelsPredictCommand.class, ModelsDownloadCommand.class, ModelsImportOnnxCommand.class,
                ModelsReferenceCommand.class})
public final class ModelsCommand {

    @Command(name = "list", aliases = "search", mixinStandardHelpOptions = true, description = "List registered models.")
    static final class ListModels implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Option(names = "--filter", description = "e.g. \"name LIKE 'credit%%'\".") String filter;
        @Option(names = "--max", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).") int max;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                Page<RegisteredModel> page = s.registry().searchRegisteredModels(filter, List.of(), max, null);
                if (output.json()) {
                    output.printJson(System.out, page.items());
                } else {
                    Output.printTable(System.out, List.of("NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION"),
                            page.items().stream().map(m -> List.of(m.name(),
                                    m.latestVersions().stream().map(v -> Long.toString(v.version())).collect(Collectors.joining(",")),
                                    aliases(m.aliases()), Output.time(m.lastUpdatedTimestamp()),
                                    m.description() == null ? "" : m.description())).toList());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a registered model with its versions and aliases.")
    static final class ShowModel implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                RegisteredModel model = s.registry().getRegisteredModel(name);
                List<ModelVersion> versions = allVersions(s, name);
                if (output.json()) {
                    output.printJson(System.out, new Shown(model, versions));
                    return 0;
                }
                System.out.println("model:       " + model.name());
                System.out.println("aliases:     " + aliases(model.aliases()));
                System.out.println("description: " + (model.description() == null ? "" : model.description()));
                model.tags().forEach(t -> System.out.println("tag:         " + t.key() + "=" + t.value()));
                System.out.println();
                printVersions(versions);
                return 0;
            }
        }

        record Shown(RegisteredModel model, List<ModelVersion> versions) {}
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "List the versions of a registered model.")
    static final class Versions implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.registry().getRegisteredModel(name);
                List<ModelVersion> versions = allVersions(s, name);
                if (output.json()) {
                    output.printJson(System.out, versions);
                } else {
                    printVersions(versions);
                }
                return 0;
            }
        }
    }

    static List<ModelVersion> allVersions(MetadataStore s, String name) {
        List<ModelVersion> all = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> page = s.registry().searchModelVersions("name = '" + name.replace("'", "\\'") + "'",
                    List.of("version_number DESC"), 1000, token);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    static void printVersions(List<ModelVersion> versions) {
        Output.printTable(System.out, List.of("VERSION", "ALIASES", "STAGE", "STATUS", "RUN", "SOURCE", "CREATED"),
                versions.stream().map(v -> List.of(Long.toString(v.version()), String.join(",", v.aliases()),
                        v.currentStage() == null ? "" : v.currentStage(), v.status() == null ? "" : v.status().name(),
                        v.runId() == null ? "" : v.runId(), v.source() == null ? "" : v.source(),
                        Output.time(v.creationTimestamp()))).toList());
    }

    static String aliases(List<ModelAlias> aliases) {
        return aliases.stream().map(a -> a.alias() + "→" + a.version()).collect(Collectors.joining(" "));
    }
}

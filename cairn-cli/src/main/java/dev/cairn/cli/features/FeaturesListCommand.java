package dev.cairn.cli.features;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.store.MetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn features list}: the latest version of every definition. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the feature definitions in the registry (latest versions).")
public final class FeaturesListCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin Output output;

    @Override
    public Integer call() {
        try (MetadataStore metadata = store.open()) {
            List<FeatureDefinition> definitions = FeatureStores.of(metadata).list();
            if (output.json()) {
                output.printJson(System.out, Map.of("definitions", definitions.stream().map(FeaturesShowCommand::summary).toList()));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (FeatureDefinition d : definitions) {
                rows.add(List.of(d.kind().label(), d.name(), "v" + d.version(), d.sha256().substring(0, 12), d.createdAt().toString(),
                        String.valueOf(d.createdBy())));
            }
            Output.printTable(System.out, List.of("kind", "name", "version", "sha256", "applied", "by"), rows);
            return 0;
        }
    }
}

package dev.cairn.cli.features;

import dev.cairn.cli.Actor;
import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.features.AppliedFeatureDefinition;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.features.FeatureStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn features apply FILE|DIR}: checks every definition file and applies them in one go; a definition that
 * did not change gets no new version. Problems are printed one per line with file, line and path; exit 2.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply feature definitions (a YAML file, or every .yaml/.yml file under a directory) to the registry: "
                + "changed definitions get a new version, unchanged ones none. Every problem is reported with its file and line.")
public final class FeaturesApplyCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin Output output;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A definition file or a directory of them.")
    Path path;

    @Override
    public Integer call() {
        try (MetadataStore metadata = store.open()) {
            FeatureStore.Applied applied;
            try {
                applied = FeatureStores.of(metadata).apply(path, Actor.current());
            } catch (CairnException e) {
                if (!(e.details().get("errors") instanceof List<?> errors) || errors.isEmpty()) throw e;
                // One line per problem, each naming its file, line, path, value and what was expected.
                if (output.json()) output.printJson(System.out, Map.of("applied", false, "errors", errors));
                for (String line : e.getMessage().split("\n")) spec.commandLine().getErr().println("cairn: " + line);
                spec.commandLine().getErr().flush();
                return e.code().exitCode();
            }
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (AppliedFeatureDefinition a : applied.definitions()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", a.definition().name());
                    row.put("kind", a.definition().kind().label());
                    row.put("version", a.definition().version());
                    row.put("sha256", a.definition().sha256());
                    row.put("created", a.created());
                    rows.add(row);
                }
                output.printJson(System.out, Map.of("applied", true, "definitions", rows));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (AppliedFeatureDefinition a : applied.definitions()) {
                FeatureDefinition d = a.definition();
                rows.add(List.of(d.kind().label(), d.name(), "v" + d.version(), a.created() ? (d.version() == 1 ? "created" : "changed")
                        : "unchanged", d.sha256().substring(0, 12)));
            }
            Output.printTable(System.out, List.of("kind", "name", "version", "change", "sha256"), rows);
            System.out.println("Applied " + applied.files().size() + (applied.files().size() == 1 ? " file" : " files") + ": "
                    + applied.created() + " new " + (applied.created() == 1 ? "version" : "versions") + ", "
                    + (applied.definitions().size() - applied.created()) + " unchanged.");
            return 0;
        }
    }
}

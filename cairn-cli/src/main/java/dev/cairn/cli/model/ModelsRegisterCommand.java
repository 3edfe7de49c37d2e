package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn models register --run <run-id> --name credit-risk [--alias champion]}: a run's {@code model/} as a new version. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a run's model package as the next version of a registered model, optionally under an alias.")
public final class ModelsRegisterCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "The run whose model/ artifact is registered.")
    String runId;

    @Option(names = "--name", required = true, paramLabel = "MODEL", description = "Registered model name (created if missing).")
    String name;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to point at the new version, e.g. champion.")
    String alias;

    @Override
    public Integer call() {
        try (MetadataStore s = store.open()) {
            ModelVersion version = Training.register(Tracking.of(s), runId, name, alias);
            if (output.json()) {
                output.printJson(System.out, version);
            } else {
                System.out.println("Registered " + version.name() + " version " + version.version() + " from " + version.source()
                        + (alias == null ? "" : " (alias " + alias + ")"));
            }
            return 0;
        }
    }
}

package dev.cairn.cli.registry;

import dev.cairn.cli.Actor;
import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn aliases …}: list, set and delete aliases such as {@code champion}; every change is audited. */
@Command(name = "aliases", mixinStandardHelpOptions = true,
        description = "List, set and delete model aliases (every change goes to the audit log).",
        subcommands = {AliasesCommand.ListAliases.class, AliasesCommand.SetAlias.class, AliasesCommand.DeleteAlias.class})
public final class AliasesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The aliases of a registered model.")
    static final class ListAliases implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(paramLabel = "MODEL") String model;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                RegisteredModel m = s.registry().getRegisteredModel(model);
                if (output.json()) {
                    output.printJson(System.out, m.aliases());
                } else {
                    Output.printTable(System.out, List.of("ALIAS", "VERSION"),
                            m.aliases().stream().map(a -> List.of(a.alias(), Long.toString(a.version()))).toList());
                }
                return 0;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point an alias at a version.")
    static final class SetAlias implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "ALIAS") String alias;
        @Parameters(index = "2", paramLabel = "VERSION") long version;
        @Option(names = {"-m", "--comment"}, description = "Why (goes to the audit log).") String comment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.registry().setAlias(model, alias, version, Actor.current(), comment);
                System.out.println(model + "@" + alias + " -> version " + version);
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove an alias.")
    static final class DeleteAlias implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "ALIAS") String alias;
        @Option(names = {"-m", "--comment"}, description = "Why (goes to the audit log).") String comment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.registry().deleteAlias(model, alias, Actor.current(), comment);
                return 0;
            }
        }
    }
}

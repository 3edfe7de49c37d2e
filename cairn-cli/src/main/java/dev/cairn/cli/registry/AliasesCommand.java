package dev.cairn.cli.registry;

import dev.cairn.cli.Actor;
import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn aliases …}: list, set and delete aliases such as {@code champion}; every change is audited. */
@Command(name = "aliases", mixinStandardHelpOptions = true,
        description = "List, set and delete model aliases; protect an alias so that it moves only with a second person's approval "
                + "(every change goes to the audit log).",
        subcommands = {AliasesCommand.ListAliases.class, AliasesCommand.SetAlias.class, AliasesCommand.DeleteAlias.class,
                AliasesCommand.Protect.class, AliasesCommand.Unprotect.class, AliasesCommand.RequestChange.class,
                AliasesCommand.Requests.class, AliasesCommand.Approve.class, AliasesCommand.Reject.class})
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

    /** Protecting and lifting the protection take the same arguments; only the direction differs. */
    abstract static class Protection implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "ALIAS") String alias;
        @Option(names = {"-m", "--comment"}, description = "Why (goes to the audit log).") String comment;

        abstract boolean protect();

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.registry().protectAlias(model, alias, protect(), Actor.current(), comment);
                System.out.println(model + "@" + alias + (protect() ? " is protected: changes are requested and approved by a second person"
                        : " is no longer protected"));
                return 0;
            }
        }
    }

    @Command(name = "protect", mixinStandardHelpOptions = true,
            description = "Protect an alias: from now on it moves only when a second person approves a request (four-eyes).")
    static final class Protect extends Protection {
        @Override
        boolean protect() {
            return true;
        }
    }

    @Command(name = "unprotect", mixinStandardHelpOptions = true, description = "Lift an alias's protection.")
    static final class Unprotect extends Protection {
        @Override
        boolean protect() {
            return false;
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Request that a protected alias move to a version; a second person approves it.")
    static final class RequestChange implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "ALIAS") String alias;
        @Parameters(index = "2", paramLabel = "VERSION") long version;
        @Option(names = {"-m", "--comment"}, description = "Why (goes to the audit log).") String comment;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                AliasRequest r = s.registry().requestAliasChange(model, alias, version, Actor.current(), comment, AliasPrecondition.ANY);
                if (output.json()) output.printJson(System.out, r);
                else System.out.println("Request " + r.id() + ": " + model + "@" + alias + " -> version " + version + ", awaiting approval");
                return 0;
            }
        }
    }

    @Command(name = "requests", mixinStandardHelpOptions = true, description = "A model's alias requests, newest first.")
    static final class Requests implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Option(names = "--pending", description = "Only the pending ones.") boolean pending;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                List<AliasRequest> requests = s.registry().listAliasRequests(model, pending);
                if (output.json()) {
                    output.printJson(System.out, requests);
                } else {
                    Output.printTable(System.out, List.of("ID", "ALIAS", "FROM", "TO", "REQUESTED BY", "STATE", "DECIDED BY"),
                            requests.stream().map(r -> List.of(Long.toString(r.id()), r.alias(),
                                    r.fromVersion() == null ? "-" : r.fromVersion().toString(), Long.toString(r.version()), r.requestedBy(),
                                    r.state().name(), r.decidedBy() == null ? "-" : r.decidedBy())).toList());
                }
                return 0;
            }
        }
    }

    /** Approving and rejecting a request take the same arguments; only the decision differs. */
    abstract static class Decision implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "REQUEST_ID") long id;
        @Option(names = {"-m", "--comment"}, description = "Why (goes to the audit log).") String comment;

        abstract boolean approve();

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                AliasRequest r = s.registry().decideAliasChange(model, id, approve(), Actor.current(), comment);
                System.out.println("Request " + r.id() + " (" + model + "@" + r.alias() + " -> version " + r.version() + ", requested by "
                        + r.requestedBy() + ") " + r.state().name().toLowerCase(Locale.ROOT) + " by " + r.decidedBy());
                return 0;
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve an alias request (not your own): the alias moves if it still points where it did when requested.")
    static final class Approve extends Decision {
        @Override
        boolean approve() {
            return true;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject an alias request (not your own).")
    static final class Reject extends Decision {
        @Override
        boolean approve() {
            return false;
        }
    }
}

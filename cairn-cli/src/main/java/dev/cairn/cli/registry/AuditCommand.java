package dev.cairn.cli.registry;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Page;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn audit}: the append-only log of registry changes, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The audit log: who changed which alias, stage or version, when, from what to what, and why.")
public final class AuditCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin Output output;
    @Option(names = "--model", description = "Only this registered model.") String model;
    @Option(names = "--max", defaultValue = "100", description = "At most this many events (default: ${DEFAULT-VALUE}).") int max;

    @Override
    public Integer call() {
        try (MetadataStore s = store.open()) {
            Page<AuditEvent> page = s.registry().listAuditEvents(model, max, null);
            if (output.json()) {
                output.printJson(System.out, page.items());
            } else {
                Output.printTable(System.out, List.of("TIME", "ACTOR", "ACTION", "MODEL", "VERSION", "SUBJECT", "FROM", "TO", "COMMENT"),
                        page.items().stream().map(e -> List.of(Output.time(e.timestamp()), e.actor(), e.action().name(), e.modelName(),
                                e.version() == null ? "" : e.version().toString(), nz(e.subject()), nz(e.fromValue()), nz(e.toValue()),
                                nz(e.comment()))).toList());
            }
            return 0;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

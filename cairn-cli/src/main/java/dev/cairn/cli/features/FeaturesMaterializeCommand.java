package dev.cairn.cli.features;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.data.ProgressBar;
import dev.cairn.cli.monitor.Instants;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.features.online.Materializer;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn features materialize}: the latest values of each entity into an online store, incrementally. */
@Command(name = "materialize", mixinStandardHelpOptions = true,
        description = "Write the latest feature values of each entity into an online store (sqlite:/path/online.db or "
                + "redis://host:port), as of now or --as-of: only entities with rows after the view's watermark (or leaving a window).")
public final class FeaturesMaterializeCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin Output output;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--online", required = true, paramLabel = "URI", description = "The online store: sqlite:/path/online.db or redis://host:port[/db].")
    String online;

    @Option(names = "--view", paramLabel = "V", description = "One feature view (default: every one).")
    String view;

    @Option(names = "--as-of", paramLabel = "TIME", description = "Materialize as of this time: 2024-03-01 or 2024-03-01T12:00:00Z (default: now).")
    String asOf;

    @Option(names = "--full", description = "Rewrite the views whole, ignoring their watermarks (picks up rows that arrived late).")
    boolean full;

    @Override
    public Integer call() {
        Instant at = asOf == null ? Instant.now() : Instants.parse("--as-of", asOf);
        try (MetadataStore metadata = store.open(); OnlineStore onlineStore = OnlineStores.open(online)) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr());
            List<Materializer.Result> results;
            try {
                results = FeatureStores.of(metadata).materialize(onlineStore, view, at, full, bar);
            } finally {
                bar.finish();
            }
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Materializer.Result r : results) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("view", r.view());
                    row.put("written", r.written());
                    row.put("full", r.full());
                    row.put("watermark", r.watermark().eventTime() == null ? null : r.watermark().eventTime().toString());
                    row.put("as_of", r.watermark().asOf().toString());
                    rows.add(row);
                }
                output.printJson(System.out, Map.of("online", onlineStore.uri(), "views", rows));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Materializer.Result r : results) {
                rows.add(List.of(r.view(), String.format("%,d", r.written()), r.full() ? "full" : "incremental",
                        r.watermark().eventTime() == null ? "-" : r.watermark().eventTime().toString()));
            }
            System.out.println("Materialized into " + onlineStore.uri() + " as of " + at + ":");
            Output.printTable(System.out, List.of("view", "entities written", "run", "watermark"), rows);
            return 0;
        }
    }
}

package dev.cairn.cli.monitor;

import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.ReferenceLoader;
import dev.cairn.monitor.alert.AuditListener;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where monitoring finds the prediction log and keeps its state: by default the serving home of
 * {@code cairn server} on the same artifact root (so the CLI sees what the server logged), or
 * {@code --serving-home}; models and their references come from the store.
 */
public final class MonitorOptions {
    @Mixin StoreOptions store;

    @Option(names = "--serving-home", paramLabel = "DIR",
            description = "The directory holding predictions/ (the log), monitoring/ and alerts/ (default: the server's, beside the artifact root).")
    Path servingHome;

    Path home() {
        return servingHome != null ? servingHome
                : ServerMain.servingHome(new ServerOptions(store.storeUri(), store.artifactRoot(), ServerOptions.DEFAULT_HOST, ServerOptions.DEFAULT_PORT));
    }

    /** The store and a monitoring service over it; close both. */
    record Opened(MetadataStore store, Monitoring monitoring) implements AutoCloseable {
        @Override
        public void close() {
            try {
                monitoring.close();
            } finally {
                store.close();
            }
        }
    }

    Opened open() {
        MetadataStore metadata = store.open();
        try {
            Monitoring monitoring = new Monitoring(Monitoring.Settings.under(home()), new ReferenceLoader(Tracking.of(metadata))::load,
                    List.of(new AuditListener(metadata.registry()::appendAuditEvent)), null, Clock.systemUTC());
            return new Opened(metadata, monitoring);
        } catch (RuntimeException e) {
            metadata.close();
            throw e;
        }
    }
}

package dev.cairn.server;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.monitor.Monitoring;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.ServingConfig;
import dev.cairn.server.serving.SharedDeployments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What changes when a server is one of several on one store ({@code --shared-dir DIR}, see docs/deploy.md). The registry,
 * runs, pipelines and their scheduler lease are in the metadata store already; the rest is in the shared directory every
 * server mounts: the prediction log ({@code DIR/predictions}, each server writing segments of its own, so monitoring on
 * any server reads the requests all of them answered), the alert rules ({@code DIR/alerts}) and the deployments
 * ({@code DIR/deployments}, {@link SharedDeployments}). Each server keeps its own model cache and monitoring windows (in
 * its serving home, built from the shared log); the periodic monitoring refresh (alert evaluation, log retention) runs
 * on one server at a time, the holder of the {@value #MONITORING_LEASE} lease, so an alert is raised and a log segment
 * compacted once, not once per server. Without a shared directory everything is in the serving home, as for one server.
 */
final class ScaleOut {
    static final String MONITORING_LEASE = "cairn-monitoring";

    private final Path servingHome;
    private final Path shared;
    private final Duration refresh;

    private ScaleOut(Path servingHome, Path shared, Duration refresh) {
        this.servingHome = servingHome;
        this.shared = shared;
        this.refresh = refresh;
    }

    static ScaleOut of(ServerOptions options, Path servingHome) {
        Path shared = null;
        if (options.sharedDir() != null) {
            try {
                shared = Files.createDirectories(Path.of(options.sharedDir()).toAbsolutePath().normalize());
            } catch (IOException | InvalidPathException e) {
                throw CairnException.invalid("--shared-dir", options.sharedDir(), "a directory every server can write (a shared volume)");
            }
        }
        Duration refresh = options.refreshInterval() != null ? options.refreshInterval()
                : shared != null ? ServerOptions.DEFAULT_REFRESH_INTERVAL : null;
        return new ScaleOut(servingHome, shared, refresh);
    }

    /** The serving defaults, with the log in the shared directory and aliases re-resolved every refresh interval. */
    ServingConfig servingConfig() {
        ServingConfig config = ServingConfig.defaults((shared != null ? shared : servingHome).resolve("predictions"));
        return refresh == null ? config : config.withAliasRefreshInterval(refresh);
    }

    /** Where one server keeps its deployments across restarts; null with a shared directory, which holds them. */
    Path deploymentState() {
        return shared == null ? servingHome.resolve("deployments.json") : null;
    }

    Monitoring.Settings monitoringSettings() {
        Monitoring.Settings own = Monitoring.Settings.under(servingHome);
        if (shared == null) return own;
        return new Monitoring.Settings(shared.resolve("predictions"), own.stateRoot(), shared.resolve("alerts"), own.window(), own.drift(),
                own.retention());
    }

    /** Starts sharing the deployments (serving what the directory holds now); null without a shared directory. */
    SharedDeployments shareDeployments(Deployments deployments) {
        return shared == null ? null : SharedDeployments.start(deployments, shared.resolve("deployments"), refresh);
    }

    /**
     * Whether this server runs the periodic monitoring refresh now: always alone; with a shared directory, while it holds
     * the monitoring lease (renewed at each refresh, lasting three of them, so a stopped holder's turn passes on).
     */
    BooleanSupplier monitoringLeader(MetadataStore store, String owner, Clock clock) {
        if (shared == null) return () -> true;
        Duration ttl = dev.cairn.server.monitoring.MonitoringJobs.INTERVAL.multipliedBy(3);
        return () -> store.pipelines().acquireLease(MONITORING_LEASE, owner, ttl, clock.instant());
    }
}

package dev.cairn.bench.monitoring;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.ReferenceLoader;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.PredictionLog;
import dev.cairn.server.serving.RegistryPackages;
import dev.cairn.server.serving.Serving;
import dev.cairn.server.serving.ServingConfig;
import dev.cairn.server.serving.ServingServer;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One variant's server: the components {@code cairn serve} wires (Serving with the registry's resolver, the
 * lean ServingServer, the deployment applied and made the default), with the prediction log on or off and,
 * for the monitored variants, a {@link Monitoring} over that log and the loop that refreshes it.
 */
final class ServingStack implements AutoCloseable {
    private final ServingServer server;
    private final Monitoring monitoring;
    private final MonitorLoop loop;
    private final Thread writer;
    private final StackSampler writerSamples;
    private final long writerSampledFrom = System.nanoTime();

    private ServingStack(ServingServer server, Monitoring monitoring, MonitorLoop loop, Thread writer) {
        this.server = server;
        this.monitoring = monitoring;
        this.loop = loop;
        this.writer = writer;
        this.writerSamples = writer == null ? null : StackSampler.only(writer);
    }

    static ServingStack start(ServingLoad.Variant variant, Path dir, MetadataStore store, String artifacts, String modelUri) {
        Path logDir = variant == ServingLoad.Variant.A ? null : dir.resolve("log");
        ServingConfig config = ServingConfig.defaults(logDir);
        Set<Thread> before = writers();
        Serving serving = new Serving(config, store.registry(), new RegistryPackages(
                new dev.cairn.server.tracking.ModelResolver(store, Stores.openArtifacts(artifacts)), dir.resolve("model-cache")));
        Thread writer = writers().stream().filter(t -> !before.contains(t)).findFirst().orElse(null);
        ServingServer server = new ServingServer(serving, "127.0.0.1", 0);
        server.start();
        serving.deployments().apply(DeploymentSpec.single(ServingLoad.DEPLOYMENT, modelUri), "bench", "bench/monitoring");
        serving.deployments().setDefault(ServingLoad.DEPLOYMENT);
        Monitoring monitoring = null;
        MonitorLoop loop = null;
        if (variant.monitoringInterval != null) {
            monitoring = new Monitoring(new Monitoring.Settings(logDir, dir.resolve("monitoring"), dir.resolve("alerts"), WindowSize.DAY, null, null),
                    new ReferenceLoader(Tracking.of(store))::load, List.of(), serving.metrics().registry(), Clock.systemUTC());
            loop = new MonitorLoop("bench-monitoring-" + variant.name().toLowerCase(), monitoring, ServingLoad.DEPLOYMENT,
                    serving.log(), variant.monitoringInterval);
        }
        return new ServingStack(server, monitoring, loop, writer);
    }

    private static Set<Thread> writers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cairn-prediction-log")).collect(Collectors.toSet());
    }

    String url() {
        return server.url();
    }

    MonitorLoop loop() {
        return loop;
    }

    long writerCpuNanos() {
        return ServingLoad.threadCpuNanos(writer);
    }

    /** Where the prediction log's writer thread spent its busy time (Markdown rows; waiting for records left out), and that time. */
    List<String> writerProfile(int limit) {
        return writerSamples == null ? List.of() : writerSamples.busyRows((System.nanoTime() - writerSampledFrom) / 1e9, limit, true);
    }

    double writerBusySeconds() {
        return writerSamples == null ? 0 : writerSamples.busySeconds((System.nanoTime() - writerSampledFrom) / 1e9, true);
    }

    /** Records the log wrote and dropped, and the rows its monitoring windows hold after a last flush and refresh. */
    long[] logCounts() {
        PredictionLog log = server.serving().log();
        if (log == null) return new long[] {0, 0, 0};
        log.flush();
        long monitored = 0;
        if (monitoring != null) {
            monitoring.refresh(ServingLoad.DEPLOYMENT, Progress.NONE);
            monitored = monitoring.windows(ServingLoad.DEPLOYMENT, WindowSize.DAY, null, null, null).stream()
                    .mapToLong(w -> w.metrics().values().getOrDefault(MetricNames.ROWS, 0.0).longValue()).sum();
        }
        return new long[] {log.writtenCount(), log.droppedCount(), monitored};
    }

    @Override
    public void close() {
        if (loop != null) loop.close();
        if (writerSamples != null) writerSamples.close();
        if (monitoring != null) monitoring.close();
        server.stop();
    }
}

package dev.cairn.server;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.ReferenceLoader;
import dev.cairn.monitor.alert.AuditListener;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.steps.StandardSteps;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.AdminBootstrap;
import dev.cairn.server.auth.LoginLimiter;
import dev.cairn.server.auth.Passwords;
import dev.cairn.server.auth.ResourceLookup;
import dev.cairn.server.monitoring.MonitoringApi;
import dev.cairn.server.monitoring.MonitoringJobs;
import dev.cairn.server.pipeline.PipelinesApi;
import dev.cairn.server.pipeline.ServerPipelines;
import dev.cairn.server.pipeline.steps.ServerSteps;
import dev.cairn.server.serving.Serving;
import dev.cairn.server.serving.SharedDeployments;
import dev.cairn.server.ui.WebUi;
import dev.cairn.store.CairnHome;
import dev.cairn.train.tracking.Tracking;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java dev.cairn.server.ServerMain [--store URI] [--artifacts URI] [--host H] [--port P]}:
 * opens the stores, serves every route group and prints the URL; SIGTERM (or Ctrl-C) drains
 * requests in flight, then closes the stores.
 */
public final class ServerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {}

    /**
     * A started server with what it owns: closing it stops the leftover sweeps and the server
     * (draining requests in flight), then closes serving (flushing the prediction log) and the store.
     */
    public record RunningServer(CairnServer server, MetadataStore store, Serving serving, Monitoring monitoring, int port,
                                AutoCloseable sweeper, AutoCloseable monitoringJobs, ServerPipelines pipelines,
                                SharedDeployments sharedDeployments) implements AutoCloseable {
        public String url() {
            return server.url();
        }

        @Override
        public void close() {
            try {
                if (sharedDeployments != null) sharedDeployments.close();
                closeQuietly(sweeper);
                closeQuietly(monitoringJobs);
                closeQuietly(pipelines);
                server.stop();
            } finally {
                try {
                    serving.close();
                    monitoring.close();
                } finally {
                    store.close();
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Stopping a background job cannot fail in a way that should keep the server up.
        }
    }

    /**
     * Opens the stores named by {@code options} and starts a server with the default route groups,
     * and the sweeps that remove what a killed server left on disk (see {@link LeftoverSweeper}).
     */
    public static RunningServer start(ServerOptions options) {
        return start(options, Clock.systemUTC(), true);
    }

    /**
     * As {@link #start(ServerOptions)}, with monitoring and pipelines on {@code clock}; without {@code background}, no
     * sweeps, no periodic monitoring refresh and no scheduler ticks: whoever drives the clock (a simulation, a test)
     * refreshes monitoring and ticks the scheduler itself, so nothing happens at a time it did not choose.
     */
    public static RunningServer start(ServerOptions options, Clock clock, boolean background) {
        options.auth().checkBinding(options.host());
        if (options.auth().insecureNoAuth() && !options.auth().enabled()) {
            LOG.warn("Serving {} WITHOUT AUTHENTICATION (--insecure-no-auth): anyone who reaches port {} may read and change "
                    + "everything", options.host(), options.port());
        }
        MetadataStore store = Stores.openMetadata(options.storeUri(), options.artifactRoot());
        try {
            ArtifactRepository artifacts = Stores.openArtifacts(options.artifactRoot());
            Path servingHome = servingHome(options);
            String owner = "server-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@" + options.host() + ":" + options.port();
            ScaleOut scaleOut = ScaleOut.of(options, servingHome);
            Serving serving = Serving.forStore(store, artifacts, servingHome, scaleOut.servingConfig(), scaleOut.deploymentState(),
                    options.onlineStore());
            // Monitoring reads the log Serving writes (servingHome/predictions, or every server's in the shared directory); its
            // alerts go to the audit log and /metrics.
            Monitoring monitoring = new Monitoring(scaleOut.monitoringSettings(), new ReferenceLoader(Tracking.of(store))::load,
                    List.of(new AuditListener(store.registry()::appendAuditEvent)), serving.metrics().registry(), clock);
            Runnable flushLog = () -> {
                if (serving.log() != null) serving.log().flush();
            };
            ServerPipelines pipelines = null;
            SharedDeployments shared = null;
            try {
                shared = scaleOut.shareDeployments(serving.deployments());
                pipelines = openPipelines(options, store, artifacts, serving, monitoring, servingHome, clock, background, owner);
                CairnServer server = CairnServer.withDefaultRoutes(store, artifacts, options.dataAccess(), options.host(), options.port(),
                        List.of(serving.api(), serving.metricsRoutes(), new MonitoringApi(monitoring, flushLog), new PipelinesApi(pipelines),
                                new dev.cairn.server.features.FeaturesApi(store::features, serving.deployments()),
                                new WebUi(store, artifacts, serving.deployments(), monitoring, pipelines)));
                server.withAccessControl(accessControl(options, store, clock));
                server.hidingPaths(serverPaths(options, servingHome));
                server.withTls(options.tls());
                int port = server.start();
                // The model cache Serving.forStore copies packages into.
                AutoCloseable sweeper = background ? LeftoverSweeper.start(artifacts, servingHome.resolve("model-cache")) : () -> {};
                AutoCloseable jobs = background ? MonitoringJobs.start(monitoring, serving.deployments(), flushLog, MonitoringJobs.INTERVAL,
                        scaleOut.monitoringLeader(store, owner, clock)) : () -> {};
                return new RunningServer(server, store, serving, monitoring, port, sweeper, jobs, pipelines, shared);
            } catch (RuntimeException e) {
                if (shared != null) shared.close();
                if (pipelines != null) pipelines.close();
                serving.close();
                monitoring.close();
                throw e;
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Login and permissions with {@code --auth} (creating the first admin on the first start), else none; tokens and web
     * UI sessions expire on {@code clock}.
     */
    private static AccessControl accessControl(ServerOptions options, MetadataStore store, Clock clock) {
        if (!options.auth().enabled()) return AccessControl.disabled(grantsOf(store));
        Passwords passwords = new Passwords();
        AdminBootstrap.run(store.auth(), passwords, Optional.ofNullable(System.getenv(AdminBootstrap.PASSWORD_VARIABLE)), System.out);
        return AccessControl.enabled(options.auth().settings(), store.auth(), ResourceLookup.of(store), passwords,
                LoginLimiter.standard(), clock);
    }

    /** The store's accounts and grants, or null for a store without them. */
    private static AuthStore grantsOf(MetadataStore store) {
        try {
            return store.auth();
        } catch (CairnException e) {
            return null;
        }
    }

    /** The directories error answers must not name: the data roots, the artifact root, the serving home's parent. */
    static ServerPaths serverPaths(ServerOptions options, Path servingHome) {
        ServerPaths paths = ServerPaths.NONE;
        if (servingHome.toAbsolutePath().getParent() != null) paths = paths.with(servingHome.toAbsolutePath().getParent(), "<cairn-home>");
        try {
            String root = options.artifactRoot();
            Path artifacts = root.startsWith("file:") ? Path.of(URI.create(root)) : root.contains("://") ? null : Path.of(root);
            if (artifacts != null) paths = paths.with(artifacts, "<artifact-root>");
        } catch (IllegalArgumentException notALocalPath) {
            // an object store: its URIs are the client's too
        }
        for (String root : options.dataRoots()) paths = paths.with(Path.of(root), "<data-root>");
        return paths;
    }

    /**
     * Where deployments, their state file and the prediction log live: beside a local artifact
     * directory ({@code …/artifacts} → {@code …/serving}), else under CAIRN_HOME.
     */
    public static Path servingHome(ServerOptions options) {
        String root = options.artifactRoot();
        try {
            Path artifacts = root.startsWith("file:") ? Path.of(URI.create(root))
                    : root.contains("://") ? null : Path.of(root);
            if (artifacts != null && artifacts.toAbsolutePath().getParent() != null) {
                return artifacts.toAbsolutePath().getParent().resolve("serving");
            }
        } catch (IllegalArgumentException notALocalPath) {
            // an object store: fall through to CAIRN_HOME
        }
        return CairnHome.home().resolve("serving");
    }

    /**
     * The server's pipelines: specs from the pipelines directory, run by an engine with every step type (the
     * standard ones and deploy, canary and score over this server's deployments), confined to that directory, and
     * started by the scheduler (when {@code tick}) and by monitoring's firing alerts; {@code owner} is this server instance's
     * id among the servers sharing the store (its scheduler lease and run claims).
     */
    public static ServerPipelines openPipelines(ServerOptions options, MetadataStore store, ArtifactRepository artifacts, Serving serving,
                                                Monitoring monitoring, Path servingHome, Clock clock, boolean tick, String owner) {
        Path directory = options.pipelines() != null ? Path.of(options.pipelines()) : pipelinesHome(options);
        StepRunners runners = new StepRunners().addAll(StandardSteps.all()).addAll(ServerSteps.all(serving, monitoring, servingHome));
        // Pipelines reach the data roots too, and the named connections' databases besides their own prefixes.
        List<String> jdbc = new java.util.ArrayList<>(options.pipelineJdbcPrefixes());
        jdbc.addAll(options.connections().values());
        ServerPipelines.Settings settings = new ServerPipelines.Settings(directory,
                options.dataRoots().stream().map(Path::of).toList(), jdbc,
                options.allowPipelineCommands(), ServerPipelines.Settings.DEFAULT_TICK, 2);
        return ServerPipelines.open(store, artifacts, settings, runners, monitoring.events(), clock,
                servingHome.resolveSibling("pipeline-work"), owner, tick);
    }

    /** The pipelines directory: beside the serving home ({@code …/serving} → {@code …/pipelines}). */
    public static Path pipelinesHome(ServerOptions options) {
        return servingHome(options).resolveSibling("pipelines");
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("Usage: cairn server [" + ServerOptions.OPTIONS.replace(", ", "] [") + "]");
            return;
        }
        RunningServer running;
        try {
            running = start(ServerOptions.parse(Arrays.asList(args)));
        } catch (CairnException e) {
            System.err.println("cairn server: " + e.getMessage());
            System.exit(e.code().exitCode());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } finally {
                stopped.countDown();
            }
        }, "cairn-server-shutdown"));
        System.out.println("Cairn server listening on " + running.url());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.cairn.cli;

import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn server}: the tracking server, registry, MLflow-compatible API and model serving, until Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the Cairn server (REST API /api/v1, MLflow-compatible API /api/2.0/mlflow) until stopped with Ctrl-C or SIGTERM.")
public final class ServerCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port (default: ${DEFAULT-VALUE}, MLflow's; 0 picks a free one).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        ServerMain.RunningServer running = ServerMain.start(new ServerOptions(store.storeUri(), store.artifactRoot(), host, port));
        System.out.println("Cairn server listening on " + running.url());
        System.out.println("  store:     " + store.storeUri());
        System.out.println("  artifacts: " + store.artifactRoot());
        System.out.println("  API:       " + running.url() + "/api/v1/openapi.json");
        System.out.println("  MLflow:    MLFLOW_TRACKING_URI=" + running.url());
        System.out.println("Press Ctrl-C to stop.");
        awaitShutdown(running);
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then drains requests in flight and closes the store. */
    static void awaitShutdown(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("cairn: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "cairn-shutdown"));
        stopped.await();
    }
}

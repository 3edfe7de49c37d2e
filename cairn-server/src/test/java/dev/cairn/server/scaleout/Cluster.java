package dev.cairn.server.scaleout;

import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code n} full {@code cairn server}s ({@link ServerMain#start}) in this JVM as separate processes would run them: one
 * PostgreSQL database, one S3 artifact root, one shared directory ({@code --shared-dir}) and one pipelines directory (the
 * same specs, as a ConfigMap gives every pod), each server with its own HTTP port, owner id and in-memory state. The
 * servers run on one simulated clock without background jobs (no scheduler ticks, no periodic monitoring): the test
 * ticks them. Deployments are taken up, and aliases re-resolved, every {@link #REFRESH}.
 */
final class Cluster implements AutoCloseable {
    static final Duration REFRESH = Duration.ofMillis(250);

    final MovableClock clock;
    final Path shared;
    final Path pipelines;
    private final ServerOptions options;
    private final List<ServerMain.RunningServer> servers = new ArrayList<>();
    private final List<Http> http = new ArrayList<>();

    private Cluster(MovableClock clock, Path shared, Path pipelines, ServerOptions options) {
        this.clock = clock;
        this.shared = shared;
        this.pipelines = pipelines;
        this.options = options;
    }

    static Cluster start(String storeUri, String artifactRoot, Path dir, int n, MovableClock clock) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        ServerOptions options = new ServerOptions(storeUri, artifactRoot, "127.0.0.1", 0, pipelines.toString(), List.of(), false)
                .withScaleOut(shared.toString(), REFRESH);
        Cluster cluster = new Cluster(clock, shared, pipelines, options);
        try {
            for (int i = 0; i < n; i++) {
                ServerMain.RunningServer server = ServerMain.start(options, clock, false);
                cluster.servers.add(server);
                cluster.http.add(new Http(server.url()));
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    int size() {
        return servers.size();
    }

    ServerMain.RunningServer server(int i) {
        ServerMain.RunningServer server = servers.get(i);
        if (server == null) throw new IllegalStateException("server " + i + " was stopped");
        return server;
    }

    Http http(int i) {
        return http.get(i);
    }

    boolean running(int i) {
        return servers.get(i) != null;
    }

    /** Stops server {@code i} as SIGTERM does: drains requests, releases its leases, closes its stores. */
    void stop(int i) {
        ServerMain.RunningServer server = servers.set(i, null);
        if (server != null) server.close();
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                // the others still stop
            }
        }
    }
}

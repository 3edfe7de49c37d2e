package dev.cairn.cli;

import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.tls.TlsSettings;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--pipelines", paramLabel = "DIR",
            description = "The pipelines directory: every *.yaml in it (or DIR/NAME/pipeline.yaml) is a pipeline the server schedules and runs (default: beside the artifact root).")
    String pipelines;

    @Option(names = "--pipeline-jdbc-prefix", paramLabel = "PREFIX",
            description = "A JDBC URL prefix pipeline steps may open (repeatable), e.g. jdbc:postgresql://db:5432/master; SQLite files inside the pipelines directory are always allowed.")
    List<String> jdbcPrefixes = new ArrayList<>();

    @Option(names = "--allow-pipeline-commands", description = "Let pipelines run command steps (user programs). Off by default.")
    boolean allowCommands;

    @Option(names = "--auth", description = "Require login: users (Basic, as MLflow clients send MLFLOW_TRACKING_USERNAME/PASSWORD) "
            + "and API tokens (Bearer, MLFLOW_TRACKING_TOKEN). The first start creates the admin (password from CAIRN_ADMIN_PASSWORD, "
            + "or printed once).")
    boolean auth;

    @Option(names = "--default-permission", paramLabel = "PERMISSION",
            description = "With --auth: what a user may do to a resource nobody granted them anything on: NO_PERMISSIONS (default), READ, EDIT, MANAGE.")
    String defaultPermission;

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS",
            description = "With --auth: a proxy address whose X-Cairn-User header names the authenticated user (repeatable).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--session-ttl", paramLabel = "DURATION",
            description = "With --auth: how long a web UI login lasts at most, e.g. 12h (the default), 8h, PT30M.")
    String sessionTtl;

    @Option(names = "--session-idle-timeout", paramLabel = "DURATION",
            description = "With --auth: how long a web UI login lasts without a request, e.g. 1h (the default), 20m.")
    String sessionIdle;

    @Option(names = "--insecure-no-auth",
            description = "Serve a non-loopback --host without login (anyone who reaches the port may change everything); warned on every start.")
    boolean insecureNoAuth;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "A directory whose files requests may read (repeatable): data profiling, validation, training and evaluation "
                    + "read files only under these. None by default: the server reads no file a request names.")
    List<String> dataRoots = new ArrayList<>();

    @Option(names = "--connection", paramLabel = "NAME=JDBC_URL",
            description = "A database requests may read by NAME (repeatable); requests never send a JDBC URL themselves.")
    List<String> connections = new ArrayList<>();

    @Option(names = "--connections", paramLabel = "FILE", description = "Named connections from a file of lines NAME=JDBC_URL.")
    String connectionsFile;

    @Option(names = "--jwks", paramLabel = "FILE_OR_URL",
            description = "With --auth: also accept bearer JWTs of an identity provider (OIDC), signed by a key of this JWKS file or URL.")
    String jwks;

    @Option(names = "--jwt-issuer", paramLabel = "ISSUER", description = "With --jwks: the issuer (iss) tokens must come from.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUDIENCE", description = "With --jwks: the audience (aud) tokens must be for.")
    String jwtAudience;

    @Option(names = "--jwt-user-claim", paramLabel = "CLAIM", description = "With --jwks: the claim naming the user (default: sub).")
    String jwtUserClaim;

    @Option(names = "--jwt-groups-claim", paramLabel = "CLAIM",
            description = "With --jwks: the claim listing the user's groups, whose grants apply (e.g. groups).")
    String jwtGroupsClaim;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS (only) with this PEM certificate chain, leaf first; reloaded when the file changes. Needs --tls-key.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The PEM private key of --tls-cert (PKCS#8, RSA or EC; unencrypted, so protect the file's permissions).")
    String tlsKey;

    @Option(names = "--online-store", paramLabel = "URI",
            description = "The online store deployments with a feature service read their features from: sqlite:/path/online.db or "
                    + "redis://host:port (as `cairn features materialize --online` writes). None by default.")
    String onlineStore;

    @Option(names = "--shared-dir", paramLabel = "DIR",
            description = "Run as one of several servers on one store: a directory every server mounts (a shared volume) holding the "
                    + "prediction log, alert rules and deployments, so a deployment changed through one server is served by all and "
                    + "monitoring sees every server's requests (see docs/deploy.md). Default: none, this server alone.")
    String sharedDir;

    @Option(names = "--refresh-interval", paramLabel = "DURATION",
            description = "How often the server takes up deployments changed through other servers and re-resolves model aliases, "
                    + "e.g. 5s (the default with --shared-dir; alone, aliases are re-resolved every 30s).")
    String refreshInterval;

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions options = ServerOptions.parse(List.of("--store", store.storeUri(), "--artifacts", store.artifactRoot(), "--host", host,
                "--port", String.valueOf(port)));
        // Parsed like ServerMain's own arguments, so both refuse a bad prefix the same way.
        List<String> pipelineArgs = new ArrayList<>();
        if (pipelines != null) pipelineArgs.addAll(List.of("--pipelines", pipelines));
        jdbcPrefixes.forEach(p -> pipelineArgs.addAll(List.of("--pipeline-jdbc-prefix", p)));
        if (allowCommands) pipelineArgs.add("--allow-pipeline-commands");
        dataRoots.forEach(d -> pipelineArgs.addAll(List.of("--data-root", d)));
        connections.forEach(c -> pipelineArgs.addAll(List.of("--connection", c)));
        if (connectionsFile != null) pipelineArgs.addAll(List.of("--connections", connectionsFile));
        ServerOptions parsed = ServerOptions.parse(pipelineArgs);
        options = new ServerOptions(options.storeUri(), options.artifactRoot(), options.host(), options.port(), parsed.pipelines(),
                parsed.pipelineJdbcPrefixes(), parsed.allowPipelineCommands(), parsed.dataRoots(), parsed.connections(),
                options.auth());
        List<String> authArgs = new ArrayList<>();
        if (auth) authArgs.add("--auth");
        if (insecureNoAuth) authArgs.add("--insecure-no-auth");
        if (defaultPermission != null) authArgs.addAll(List.of("--default-permission", defaultPermission));
        trustedProxies.forEach(p -> authArgs.addAll(List.of("--trusted-proxy", p)));
        if (sessionTtl != null) authArgs.addAll(List.of("--session-ttl", sessionTtl));
        if (sessionIdle != null) authArgs.addAll(List.of("--session-idle-timeout", sessionIdle));
        java.util.Map<String, String> jwt = new java.util.LinkedHashMap<>();
        jwt.put("--jwks", jwks);
        jwt.put("--jwt-issuer", jwtIssuer);
        jwt.put("--jwt-audience", jwtAudience);
        jwt.put("--jwt-user-claim", jwtUserClaim);
        jwt.put("--jwt-groups-claim", jwtGroupsClaim);
        jwt.forEach((name, value) -> {
            if (value != null) authArgs.addAll(List.of(name, value));
        });
        options = options.withAuth(ServerOptions.parse(authArgs).auth()).withTls(TlsSettings.of(tlsCert, tlsKey))
                .withOnlineStore(onlineStore == null ? null : ServerOptions.parse(List.of("--online-store", onlineStore)).onlineStore());
        List<String> scaleOutArgs = new ArrayList<>();
        if (sharedDir != null) scaleOutArgs.addAll(List.of("--shared-dir", sharedDir));
        if (refreshInterval != null) scaleOutArgs.addAll(List.of("--refresh-interval", refreshInterval));
        ServerOptions scaleOut = ServerOptions.parse(scaleOutArgs);
        options = options.withScaleOut(scaleOut.sharedDir(), scaleOut.refreshInterval());
        ServerMain.RunningServer running = ServerMain.start(options);
        System.out.println("Cairn server listening on " + running.url());
        System.out.println("  store:     " + store.storeUri());
        System.out.println("  artifacts: " + store.artifactRoot());
        System.out.println("  API:       " + running.url() + "/api/v1/openapi.json");
        System.out.println("  MLflow:    MLFLOW_TRACKING_URI=" + running.url());
        System.out.println("  pipelines: " + running.pipelines().directory());
        System.out.println("  data:      " + (options.dataRoots().isEmpty() ? "no data roots (--data-root DIR)" : String.join(", ", options.dataRoots()))
                + (options.connections().isEmpty() ? "" : "; connections " + String.join(", ", options.connections().keySet())));
        if (options.onlineStore() != null) System.out.println("  features:  online store " + running.serving().deployments().features().storeUri());
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

package dev.cairn.cli.serving;

import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.serving.ServingAuth;
import dev.cairn.server.serving.ServingLauncher;
import dev.cairn.server.serving.ServingLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn serve --model models:/credit-risk@champion}: a lean serving process with MLflow's
 * scoring protocol, the Open Inference Protocol v2 and Cairn's deployment API, /metrics and health.
 * Stops gracefully (draining requests in flight, writing out the prediction log) on Ctrl-C or SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over HTTP: POST /invocations (MLflow), /v2/models/{name}/infer (Open Inference Protocol), "
                + "/api/v1/deployments/{name}/predict (Cairn).")
public final class ServeCommand implements Callable<Integer> {

    @Mixin StoreOptions store;

    @Option(names = "--model", required = true, paramLabel = "URI",
            description = "models:/name@alias, models:/name/version, runs:/<run-id>/model, or a model package directory or zip.")
    String model;

    @Option(names = "--name", paramLabel = "DEPLOYMENT", description = "Deployment name (default: the model's name).")
    String name;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}); any other needs --token-file or --insecure-no-auth.")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require Authorization: Bearer <token> on every route but health, with a token of FILE: one per line, "
                    + "an API token (cairn_…) or the SHA-256 (hex) of a secret.")
    Path tokenFile;

    @Option(names = "--insecure-no-auth",
            description = "Serve a non-loopback --host without authentication (anyone who reaches the port may predict and change "
                    + "deployments); warned on every start.")
    boolean insecureNoAuth;

    @Option(names = {"-p", "--port"}, defaultValue = "5001", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Prediction log directory (Parquet segments); none when absent.")
    Path logDir;

    @Option(names = "--max-concurrent", defaultValue = "256", description = "Predictions at once before 503 (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--max-rows", defaultValue = "10000", description = "Rows per request before 413 (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--max-request-bytes", defaultValue = "8388608", description = "Body size before 413 (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(names = "--feature-service", paramLabel = "S",
            description = "Complete each request's rows with this feature service's features from --online-store: requests then "
                    + "carry the entity ids (and request-time values) instead of whole rows.")
    String featureService;

    @Option(names = "--online-store", paramLabel = "URI",
            description = "The online store --feature-service reads from: sqlite:/path/online.db or redis://host:port (as "
                    + "`cairn features materialize --online` writes; as `cairn server --online-store`).")
    String onlineStore;

    @Override
    public Integer call() throws InterruptedException {
        String deployment = name != null ? name : defaultName(model);
        ServingLimits limits = new ServingLimits(maxBytes, maxRows, maxConcurrent, Duration.ofSeconds(30));
        ServingAuth auth = ServingAuth.of(tokenFile, insecureNoAuth);
        // Parsed as `cairn server` parses its own --online-store, so both accept and refuse the same URIs.
        String online = onlineStore == null ? null : ServerOptions.parse(List.of("--online-store", onlineStore)).onlineStore();
        if (online != null && featureService == null) {
            throw CairnException.invalid("--online-store", onlineStore.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@"),
                    "--feature-service too (the online store is read only for a feature service's features)");
        }
        ServingLauncher.Running running = ServingLauncher.serve(model, deployment, store.storeUri(), store.artifactRoot(), host, port,
                logDir, limits, auth, online, featureService);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "cairn-serve-shutdown"));
        System.out.println("Serving " + model + " as deployment '" + deployment + "' on " + running.url());
        System.out.println("  POST " + running.url() + "/invocations");
        System.out.println("  POST " + running.url() + "/v2/models/" + deployment + "/infer");
        System.out.println("  POST " + running.url() + "/api/v1/deployments/" + deployment + "/predict");
        if (featureService != null) System.out.println("  features: " + featureService + " from " + running.onlineStore());
        if (auth.required()) System.out.println("  (with Authorization: Bearer <a token of " + tokenFile + ">; health is open)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    static String defaultName(String uri) {
        String s = uri.startsWith("models:/") ? uri.substring("models:/".length()) : Path.of(uri).getFileName().toString();
        int cut = s.indexOf('@') >= 0 ? s.indexOf('@') : s.indexOf('/');
        String base = cut >= 0 ? s.substring(0, cut) : s;
        base = base.endsWith(".zip") ? base.substring(0, base.length() - 4) : base;
        return base.replaceAll("[^A-Za-z0-9_.\\-]", "-");
    }
}

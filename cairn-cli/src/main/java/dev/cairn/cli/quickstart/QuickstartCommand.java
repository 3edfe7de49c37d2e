package dev.cairn.cli.quickstart;

import dev.cairn.client.Cairn;
import dev.cairn.client.Credentials;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.AuthOptions;
import dev.cairn.store.CairnHome;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn quickstart}: the bundled credit-risk example, end to end, on the embedded defaults.
 * Starts a server, then runs each stage of the model's life against it, printing what it did and
 * where to look, and keeps the server running until Ctrl-C (unless {@code --exit}).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the bundled credit-risk example end to end on the embedded defaults, then keep the server running.")
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--example", paramLabel = "DIR", defaultValue = "examples/credit-risk",
            description = "The example's folder, holding credit-g.csv, schema.yaml and space.yaml (default: ${DEFAULT-VALUE}).")
    Path example;

    @Option(names = "--port", defaultValue = "5000", description = "Server port (default: ${DEFAULT-VALUE}; a free one when taken).")
    int port;

    @Option(names = "--exit", description = "Stop the server and exit when the example is done instead of serving until Ctrl-C.")
    boolean exit;

    @Option(names = "--auth", description = "Run with login on: the server requires credentials, every stage calls it as the "
            + "user 'analyst' with an API token, and the run ends by checking that the audit log names the analyst.")
    boolean auth;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path data = example.resolve("credit-g.csv");
        if (!Files.isRegularFile(data)) {
            throw CairnException.invalid("--example", example, "a folder containing credit-g.csv (run from the repository root)");
        }
        Path home = CairnHome.home();
        Files.createDirectories(home);
        out.println("Cairn quickstart: the credit-risk example (" + data + ")");
        out.println("  home: " + home + "  (set CAIRN_HOME to use another)");

        // The example's folder is the server's one data root: its data routes can read the example, nothing else.
        ServerOptions options = new ServerOptions(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot(),
                ServerOptions.DEFAULT_HOST, freePortOr(port)).withData(List.of(example.toAbsolutePath().normalize().toString()), Map.of());
        if (auth) {
            // One team works on the example: whoever logs in may manage it (MLflow's default_permission MANAGE); the
            // finer grants are what RouteAccessMatrixTest proves.
            options = options.withAuth(new AuthOptions(true, false, Permission.MANAGE, List.of()));
        }
        ServerMain.RunningServer server = ServerMain.start(options);
        try {
            out.println("  server: " + server.url() + "  (MLflow clients: MLFLOW_TRACKING_URI=" + server.url() + ")");
            Credentials credentials = auth ? Login.analyst(server.store().auth(), out) : Credentials.NONE;
            Cairn client = Cairn.builder(server.url()).credentials(credentials).build();
            Example context = new Example(example, data, home, client, server, out, credentials);
            for (Stage stage : Stages.all()) {
                out.println();
                out.println("== " + stage.title());
                stage.run(context);
            }
            if (auth) {
                out.println();
                out.println("== Who did what: the audit log with login on");
                Login.checkAudit(client, Example.EXPERIMENT, Example.MODEL, out);
            }
            out.println();
            out.println("Done. Look at:");
            out.println("  cairn runs search -e credit-risk          the runs, their params and metrics");
            out.println("  cairn models show credit-risk             the registered versions and the champion");
            out.println("  cairn audit --model credit-risk           who promoted what, when");
            out.println("  " + server.url() + "/  the web UI: runs, models and their audit log, deployments, monitoring, pipelines");
            out.println("  " + server.url() + "/api/v1/openapi.json  the REST API");
            context.pointers().forEach((what, where) -> out.println("  " + what + ": " + where));
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        if (exit) {
            server.close();
            return 0;
        }
        out.println();
        out.println("The server keeps running at " + server.url() + "; press Ctrl-C to stop it.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cairn-quickstart-shutdown"));
        stopped.await();
        return 0;
    }

    /** The wanted port when it is free, else one the system picks, so a second quickstart still runs. */
    private static int freePortOr(int wanted) {
        try (ServerSocket probe = new ServerSocket(wanted, 1, java.net.InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException taken) {
            return 0;
        }
    }
}

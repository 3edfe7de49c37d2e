package dev.cairn.cli.auth;

import java.util.function.Function;
import picocli.CommandLine.Option;

/** The {@code --server URL} of the admin commands, with credentials from the environment (see {@link AdminClient}). */
public final class ServerOption {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:5000",
            description = "The Cairn server (default: ${DEFAULT-VALUE}). Credentials come from CAIRN_TOKEN, or CAIRN_USERNAME and "
                    + "CAIRN_PASSWORD (MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD also work).")
    String server;

    /** Where credentials are read from: the process environment, or what a test (which cannot set one) puts here. */
    static volatile Function<String, String> environment = System::getenv;

    AdminClient client() {
        return new AdminClient(server, environment);
    }
}

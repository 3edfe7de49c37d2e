package dev.cairn.server;

import dev.cairn.core.error.CairnException;
import dev.cairn.store.CairnHome;
import java.util.List;

/**
 * How to start a server: {@code --store URI --artifacts URI --host H --port P}. Defaults: the
 * SQLite file and artifact directory under {@code CAIRN_HOME}, {@code 127.0.0.1}, port 5000
 * (MLflow's, so MLflow clients find it without configuration).
 */
public record ServerOptions(String storeUri, String artifactRoot, String host, int port) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;

    public static ServerOptions defaults() {
        return new ServerOptions(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot(), DEFAULT_HOST, DEFAULT_PORT);
    }

    /** Parses command-line options; bad ones raise INVALID_PARAMETER_VALUE naming the option. */
    public static ServerOptions parse(List<String> args) {
        String store = null;
        String artifacts = null;
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.size()) {
                    throw CairnException.invalid(arg, null, "a value after " + arg + "; options are " + OPTIONS);
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--store" -> store = value;
                case "--artifacts" -> artifacts = value;
                case "--host" -> host = value;
                case "--port" -> port = parsePort(value);
                default -> throw CairnException.invalid("option", arg, "one of " + OPTIONS);
            }
        }
        return new ServerOptions(store == null ? CairnHome.defaultMetadataUri() : store,
                artifacts == null ? CairnHome.defaultArtifactRoot() : artifacts, host, port);
    }

    static final String OPTIONS = "--store URI, --artifacts URI, --host HOST, --port PORT";

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw CairnException.invalid("--port", value, "a port number from 0 to 65535");
        }
    }
}

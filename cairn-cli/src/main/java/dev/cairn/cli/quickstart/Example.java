package dev.cairn.cli.quickstart;

import dev.cairn.client.Cairn;
import dev.cairn.server.ServerMain;
import dev.cairn.train.tracking.Tracking;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the stages of the example share: where the example and its data are, the running server
 * and a client for it, and what earlier stages produced (run ids, the registered version).
 */
final class Example {
    static final String EXPERIMENT = "credit-risk";
    static final String MODEL = "credit-risk";
    static final String LABEL = "class";
    static final String ID_COLUMN = "customer_id";

    final Path folder;
    final Path data;
    final Path home;
    final Cairn client;
    final ServerMain.RunningServer server;
    final PrintStream out;
    private final Map<String, String> pointers = new LinkedHashMap<>();

    /** Set by the training stage: the run that produced the model, and its registered version. */
    String modelRunId;
    Long modelVersion;

    Example(Path folder, Path data, Path home, Cairn client, ServerMain.RunningServer server, PrintStream out) {
        this.folder = folder;
        this.data = data;
        this.home = home;
        this.client = client;
        this.server = server;
        this.out = out;
    }

    /** Remembers a place to look at, printed at the end. */
    void pointTo(String what, String where) {
        pointers.put(what, where);
    }

    Map<String, String> pointers() {
        return pointers;
    }

    /**
     * Where training records its runs: the server's own store, shared in this process. (Through
     * {@code client}, the REST API, once the remote store implementation is in place.)
     */
    Tracking tracking() {
        return Tracking.of(server.store());
    }

    void say(String line) {
        out.println("   " + line);
    }
}

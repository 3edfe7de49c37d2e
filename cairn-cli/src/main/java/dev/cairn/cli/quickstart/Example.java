package dev.cairn.cli.quickstart;

import dev.cairn.client.Cairn;
import dev.cairn.client.Credentials;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.ServerMain;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    /** The business question is "which customers are bad risks?": precision is about this class. */
    static final String POSITIVE_CLASS = "bad";

    final Path folder;
    final Path data;
    final Path home;
    final Cairn client;
    final ServerMain.RunningServer server;
    final PrintStream out;
    /** The stages' raw HTTP calls, logged in as the client: no credentials without login, the analyst's token with {@code --auth}. */
    private final Requests requests;
    private final Map<String, String> pointers = new LinkedHashMap<>();

    /** Set by the training stage: the held-out rows and the candidate's registered version. */
    Path heldOut;
    Long modelVersion;
    /** Set by the evaluation stage: the version that holds {@code champion} afterwards, if any. */
    Long championVersion;

    Example(Path folder, Path data, Path home, Cairn client, ServerMain.RunningServer server, PrintStream out, Credentials credentials) {
        this.requests = new Requests(HttpClient.newHttpClient(), credentials);
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
     * Where training and evaluation record their runs, versions and aliases: the server, through
     * its REST API — the same calls a trainer on another machine would make.
     */
    Tracking tracking() {
        MetadataStore remote = client.metadataStore();
        return new Tracking(remote.experiments(), remote.runs(), remote.registry(), run -> client.artifacts(run.runId()));
    }

    /** The stages' raw HTTP calls (those the Java client has no method for), logged in as the client is. */
    Requests requests() {
        return requests;
    }

    /** HTTP requests to the server with the example's credentials. */
    record Requests(HttpClient http, Credentials credentials) {
        /** A request to {@code url}; without login the audit log names {@code quickstart}, with it the analyst. */
        HttpRequest.Builder to(String url) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-Cairn-User", "quickstart");
            if (credentials.present()) request.header("Authorization", credentials.authorization());
            return request;
        }

        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    void say(String line) {
        out.println("   " + line);
    }
}

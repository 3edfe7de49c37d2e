package dev.cairn.server.auth;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server with authentication on and one shared experiment (with a run), model, deployment and pipeline, all
 * called {@value #SHARED} (the experiment by its id), and one principal per role: nobody, another team's user (its
 * group has grants on other resources only), a reader (READ through its group), an editor and a manager (their own
 * grants), an admin. Each has a full-scope API token; every user's password is {@value #PASSWORD}.
 */
final class AuthFixture implements AutoCloseable {

    static final String SHARED = "shared";
    static final String EXPERIMENT_NAME = "shared-experiment";
    static final String PASSWORD = "correct horse battery";
    static final List<String> ROLES = List.of("anonymous", "other", "reader", "editor", "manager", "admin");

    final ServerMain.RunningServer running;
    final String experimentId;
    final String runId;
    final Map<String, String> tokens = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AuthFixture(Path dir) {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toUri().toString();
        Passwords passwords = new Passwords();
        String hash = passwords.hash(PASSWORD);
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            experimentId = store.experiments().createExperiment(EXPERIMENT_NAME, null, List.of());
            runId = store.runs().createRun(experimentId, "setup", System.currentTimeMillis(), "setup-run", List.of()).info().runId();
            String theirs = store.experiments().createExperiment("their-experiment", null, List.of());
            AuthStore auth = store.auth();
            for (String role : ROLES.subList(1, ROLES.size())) {
                auth.createAccount(role, Account.Kind.USER, hash, role.equals("admin"));
                ApiTokens.NewToken token = ApiTokens.generate();
                auth.createToken(new ApiToken(token.id(), role, "fixture", Permission.MANAGE, null, null, null), ApiTokens.sha256(token.token()));
                tokens.put(role, token.token());
            }
            auth.createGroup("readers");
            auth.addMember("readers", "reader");
            auth.createGroup("other-team");
            auth.addMember("other-team", "other");
            for (ResourceKind kind : ResourceKind.values()) {
                auth.putGrant(new Grant(kind, kind == ResourceKind.EXPERIMENT ? theirs : "theirs", Grantee.group("other-team"), Permission.MANAGE));
            }
            resetGrants(auth, experimentId);
        }
        ServerOptions options = new ServerOptions(storeUri, artifacts, "127.0.0.1", 0)
                .withAuth(new AuthOptions(true, false, Permission.NO_PERMISSIONS, List.of()));
        running = ServerMain.start(options, Clock.systemUTC(), false);
    }

    /**
     * Puts the shared resources' grants back as the roles expect them: a request the matrix allowed may have deleted
     * and re-created a model, and its creator then got MANAGE on it (as it should).
     */
    void resetGrants() {
        resetGrants(running.store().auth(), experimentId);
    }

    private static void resetGrants(AuthStore auth, String experimentId) {
        for (ResourceKind kind : ResourceKind.values()) {
            String resource = kind == ResourceKind.EXPERIMENT ? experimentId : SHARED;
            auth.deleteGrants(kind, resource);
            auth.putGrant(new Grant(kind, resource, Grantee.group("readers"), Permission.READ));
            auth.putGrant(new Grant(kind, resource, Grantee.user("editor"), Permission.EDIT));
            auth.putGrant(new Grant(kind, resource, Grantee.user("manager"), Permission.MANAGE));
        }
    }

    /** The permission a role holds on the shared resources (admins hold everything). */
    static Permission permissionOf(String role) {
        return switch (role) {
            case "reader" -> Permission.READ;
            case "editor" -> Permission.EDIT;
            case "manager", "admin" -> Permission.MANAGE;
            default -> Permission.NO_PERMISSIONS;
        };
    }

    String authorization(String role) {
        return role.equals("anonymous") ? null : "Bearer " + tokens.get(role);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String pathAndQuery, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(running.url() + pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (authorization != null) request.header("Authorization", authorization);
        if (body == null || method.equals("GET")) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, authorization, null);
    }

    Instant now() {
        return Instant.now();
    }

    @Override
    public void close() {
        running.close();
    }
}

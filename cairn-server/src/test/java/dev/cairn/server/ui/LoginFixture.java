package dev.cairn.server.ui;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.AuthOptions;
import dev.cairn.server.auth.Passwords;
import dev.cairn.server.testing.MovableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real {@code cairn server --auth} for the web UI's login (SQLite in a temporary directory, no background jobs) on a
 * clock the test moves, with two experiments: {@value #SHARED}, which the group of {@code reader} may read, and
 * {@value #THEIRS}, which only {@code other}'s group may. Every account's password is {@value #PASSWORD} (hashed
 * with the cheap test parameters, which the server reads from the hash). Requests are made as a browser makes them,
 * cookies by hand, redirects not followed.
 */
final class LoginFixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";
    static final String SHARED = "shared-experiment";
    static final String THEIRS = "their-experiment";
    static final String SESSION = "cairn_session";

    /** A response with the cookies it set, by name (the value as sent, attributes after it). */
    record Page(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String location() {
            return response.headers().firstValue("Location").orElse(null);
        }

        /** The whole Set-Cookie header of a cookie, or null. */
        String setCookie(String name) {
            return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
        }

        /** The value a Set-Cookie header gives a cookie, or null. */
        String cookie(String name) {
            String header = setCookie(name);
            if (header == null) return null;
            int end = header.indexOf(';');
            return header.substring(name.length() + 1, end < 0 ? header.length() : end);
        }
    }

    final MovableClock clock = new MovableClock(Instant.now());
    final ServerMain.RunningServer server;
    final String sharedId;
    final String theirsId;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    LoginFixture(Path dir, List<String> trustedProxies) {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toUri().toString();
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            sharedId = store.experiments().createExperiment(SHARED, null, List.of());
            theirsId = store.experiments().createExperiment(THEIRS, null, List.of());
            AuthStore auth = store.auth();
            String hash = Passwords.forTests().hash(PASSWORD);
            auth.createAccount("admin", Account.Kind.USER, hash, true);
            auth.createGroup("readers");
            auth.createGroup("other-team");
            auth.putGrant(new Grant(ResourceKind.EXPERIMENT, sharedId, Grantee.group("readers"), Permission.READ));
            auth.putGrant(new Grant(ResourceKind.EXPERIMENT, theirsId, Grantee.group("other-team"), Permission.MANAGE));
        }
        ServerOptions options = new ServerOptions(storeUri, artifacts, "127.0.0.1", 0)
                .withAuth(new AuthOptions(true, false, Permission.NO_PERMISSIONS, trustedProxies));
        server = ServerMain.start(options, clock, false);
        addUser("reader", "readers");
        addUser("other", "other-team");
    }

    /** A new user with the fixture's password, in {@code group} (null: none). */
    void addUser(String name, String group) {
        AuthStore auth = server.store().auth();
        auth.createAccount(name, Account.Kind.USER, Passwords.forTests().hash(PASSWORD), false);
        if (group != null) auth.addMember(group, name);
    }

    String url() {
        return server.url();
    }

    /** A GET as a browser's navigation sends it (Accept: text/html), with these cookies ("a=b; c=d", or null). */
    Page open(String path, String cookies) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .GET(), cookies);
    }

    /** A GET with request headers given as name, value pairs. */
    Page get(String path, String cookies, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return send(request, cookies);
    }

    /** A form post as the browser sends it from a page of this server, plus any extra headers (name, value pairs). */
    Page post(String path, Map<String, String> form, String cookies, String... headers) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> pairs.add(Links.encode(k) + "=" + Links.encode(v)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)));
        boolean origin = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            origin |= headers[i].equalsIgnoreCase("Origin");
        }
        if (!origin) request.header("Origin", url());
        return send(request, cookies);
    }

    /** The CSRF token a browser gets from the login form (cookie and field are the same). */
    String csrf() {
        Page form = open("/ui/login", null);
        String token = form.cookie(Csrf.COOKIE);
        if (token == null) throw new AssertionError("the login form set no CSRF cookie: " + form.response().headers());
        return token;
    }

    /** Logs in through the form; the response (303 with the session cookie, or the form again). */
    Page login(String user, String password, String next) {
        String token = csrf();
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("csrf", token);
        form.put("user", user);
        form.put("password", password);
        if (next != null) form.put("next", next);
        return post("/ui/login", form, Csrf.COOKIE + "=" + token);
    }

    /** The session cookie of a successful login, as the browser sends it back. */
    String session(String user) {
        Page page = login(user, PASSWORD, null);
        if (page.status() != 303 || page.cookie(SESSION) == null) throw new AssertionError("login of " + user + ": " + page.status());
        return SESSION + "=" + page.cookie(SESSION);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Page send(HttpRequest.Builder request, String cookies) {
        if (cookies != null) request.header("Cookie", cookies);
        try {
            return new Page(http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}

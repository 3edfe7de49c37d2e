package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.ApiTokens;
import dev.cairn.server.auth.SessionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in to the web UI on a real {@code cairn server --auth}: the session cookie and its flags, the one message
 * for every wrong login, the rate limit, CSRF on both forms, no open redirect, logout, expiry on the server's clock,
 * sessions ending with their account or password, the cookie worthless on the APIs, and a reader seeing only what
 * it may read.
 */
@DisplayName("Web UI login: server-side sessions in a cookie for the UI only")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiLoginTest {

    private LoginFixture fixture;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new LoginFixture(dir, List.of());
    }

    @AfterAll
    void stop() {
        if (fixture != null) fixture.close();
    }

    @Test
    void aBrowserWithoutALoginIsSentToTheFormAndBackToItsPageAfterLoggingIn() {
        String page = "/ui/experiments/" + fixture.sharedId + "?filter=" + Links.encode("metrics.auc > 0.5");
        LoginFixture.Page redirected = fixture.open(page, null);
        assertThat(redirected.status()).isEqualTo(303);
        assertThat(redirected.location()).isEqualTo("/ui/login?next=" + java.net.URLEncoder.encode(page, java.nio.charset.StandardCharsets.UTF_8));

        LoginFixture.Page form = fixture.open(redirected.location(), null);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("<h1>Sign in</h1>", "name=\"csrf\" value=\"" + form.cookie(Csrf.COOKIE) + "\"",
                "name=\"next\" value=\"" + page.replace("&", "&amp;").replace(">", "&gt;").replace("\"", "&#34;") + "\"",
                "type=\"password\"").doesNotContain("acting-user");

        LoginFixture.Page login = fixture.login("reader", LoginFixture.PASSWORD, page);
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.location()).isEqualTo(page);
        String cookie = login.setCookie(LoginFixture.SESSION);
        String id = login.cookie(LoginFixture.SESSION);
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        assertThat(cookie).contains("; Path=/", "; HttpOnly", "; SameSite=Lax").doesNotContain("Secure", "Max-Age", "Expires", "Domain");
        // A new CSRF token for the new login.
        assertThat(login.setCookie(Csrf.COOKIE)).contains("Max-Age=0");
        // The store keeps the id's SHA-256, not the id.
        assertThat(fixture.server.store().auth().sessionByHash(ApiTokens.sha256(id))).hasValueSatisfying(s ->
                assertThat(s.account()).isEqualTo("reader"));

        LoginFixture.Page experiments = fixture.open("/", LoginFixture.SESSION + "=" + id);
        assertThat(experiments.status()).isEqualTo(200);
        assertThat(experiments.body()).contains("Signed in as <strong id=\"acting-user\">reader</strong>", "action=\"/ui/logout\"",
                "id=\"logout\"");
        String logoutToken = experiments.cookie(Csrf.COOKIE);
        assertThat(experiments.body()).contains("name=\"csrf\" value=\"" + logoutToken + "\"");
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSame401AndNoCookie() {
        LoginFixture.Page wrong = fixture.login("reader", "not the password", "/");
        LoginFixture.Page unknown = fixture.login("nobody-here", "not the password", "/");
        for (LoginFixture.Page page : List.of(wrong, unknown)) {
            assertThat(page.status()).isEqualTo(401);
            assertThat(page.setCookie(LoginFixture.SESSION)).isNull();
            assertThat(page.response().headers().firstValue("WWW-Authenticate")).as("no browser password dialog").isEmpty();
            assertThat(page.response().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("<p class=\"error\" role=\"alert\" id=\"login-error\">" + LoginPages.INVALID + "</p>")
                    .doesNotContain("not the password");
        }
        // The user name typed is kept in the form; nothing else tells the two apart.
        assertThat(wrong.body()).contains("value=\"reader\"");
        assertThat(unknown.body()).contains("value=\"nobody-here\"");
        assertThat(wrong.body().replace("reader", "X").replaceAll("[A-Za-z0-9_-]{43}", "T"))
                .isEqualTo(unknown.body().replace("nobody-here", "X").replaceAll("[A-Za-z0-9_-]{43}", "T"));
    }

    @Test
    void repeatedWrongPasswordsAreRefusedWith429EvenWhenTheRightOneComes() {
        fixture.addUser("guessed", null);
        for (int i = 0; i < 5; i++) {
            assertThat(fixture.login("guessed", "wrong password " + i, "/").status()).isEqualTo(401);
        }
        LoginFixture.Page blocked = fixture.login("guessed", LoginFixture.PASSWORD, "/");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.response().headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(blocked.body()).contains("Too many failed logins").doesNotContain(LoginFixture.PASSWORD);
        assertThat(blocked.setCookie(LoginFixture.SESSION)).isNull();
        // The same limit as Basic credentials: they are blocked too.
        assertThat(fixture.get("/api/v1/experiments", null, "Authorization", LoginFixture.basic("guessed", LoginFixture.PASSWORD)).status())
                .isEqualTo(429);
    }

    @Test
    void theSessionCookieAuthenticatesTheUiOnlyNeverTheApis() {
        String cookie = fixture.session("reader");
        assertThat(fixture.get("/ui/experiments/" + fixture.sharedId, cookie).status()).isEqualTo(200);
        for (String api : List.of("/api/v1/experiments", "/api/v1/experiments/" + fixture.sharedId, "/api/v1/auth/me",
                "/api/2.0/mlflow/experiments/get?experiment_id=" + fixture.sharedId,
                "/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + fixture.sharedId,
                "/api/2.0/mlflow/experiments/search?max_results=10")) {
            LoginFixture.Page page = fixture.get(api, cookie);
            assertThat(page.status()).as(api).isEqualTo(401);
            // Not even a browser's navigation to an API is sent to the login form.
            assertThat(fixture.open(api, cookie).status()).as(api).isEqualTo(401);
        }
        assertThat(fixture.post("/api/v1/experiments", Map.of("name", "forged"), cookie).status()).isIn(401, 415);
        assertThat(fixture.server.store().experiments().getExperimentByName("forged")).isEmpty();
        assertThat(fixture.get("/api/v1/experiments/" + fixture.sharedId, null, "Authorization",
                LoginFixture.basic("reader", LoginFixture.PASSWORD)).status()).isEqualTo(200);
        // An Authorization header wins over the cookie: here it is another user, who may not read the experiment.
        LoginFixture.Page asOther = fixture.get("/ui/experiments/" + fixture.sharedId, cookie, "Authorization",
                LoginFixture.basic("other", LoginFixture.PASSWORD));
        assertThat(asOther.status()).isEqualTo(403);
    }

    @Test
    void withoutALoginOnlyAPageNavigationIsRedirectedEverythingElseGets401() {
        assertThat(fixture.get("/ui/models", null).status()).as("no Accept: text/html").isEqualTo(401);
        assertThat(fixture.get("/ui/runs/x/metric-series?key=a", null, "Accept", "application/json").status()).isEqualTo(401);
        assertThat(fixture.open("/", null).location()).isEqualTo("/ui/login?next=%2F");
        // A form posted after the session ended: the UI's page saying so, and no header that makes the browser ask
        // for a password.
        LoginFixture.Page signedOut = fixture.post("/ui/models/m/aliases", Map.of("alias", "a"), null);
        assertThat(signedOut.status()).isEqualTo(401);
        assertThat(signedOut.response().headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(signedOut.response().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(signedOut.body()).contains("Signed out", "href=\"/ui/login\"");
        // A cookie of no session is no login either; the browser is told to forget it.
        LoginFixture.Page stale = fixture.open("/ui/models", LoginFixture.SESSION + "=" + "A".repeat(43));
        assertThat(stale.status()).isEqualTo(303);
        assertThat(stale.setCookie(LoginFixture.SESSION)).contains("Max-Age=0");
        assertThat(stale.body()).doesNotContain("A".repeat(43));
        assertThat(fixture.open("/ui/models", LoginFixture.SESSION + "=' OR 1=1 --").status()).isEqualTo(303);
    }

    @Test
    void aLoginOrLogoutWithoutTheFormsTokenOrFromAnotherSiteIsRefused() {
        String token = fixture.csrf();
        Map<String, String> credentials = Map.of("user", "reader", "password", LoginFixture.PASSWORD);
        LoginFixture.Page noToken = fixture.post("/ui/login", credentials, Csrf.COOKIE + "=" + token);
        LoginFixture.Page noCookie = fixture.post("/ui/login", with(credentials, "csrf", token), null);
        LoginFixture.Page otherSite = fixture.post("/ui/login", with(credentials, "csrf", token), Csrf.COOKIE + "=" + token,
                "Origin", "https://evil.example");
        for (LoginFixture.Page page : List.of(noToken, noCookie, otherSite)) {
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.setCookie(LoginFixture.SESSION)).isNull();
        }

        String session = fixture.session("reader");
        String pageToken = fixture.open("/", session).cookie(Csrf.COOKIE);
        String cookies = session + "; " + Csrf.COOKIE + "=" + pageToken;
        assertThat(fixture.post("/ui/logout", Map.of(), cookies).status()).isEqualTo(403);
        assertThat(fixture.post("/ui/logout", Map.of("csrf", pageToken), cookies, "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(fixture.open("/", session).status()).as("still logged in").isEqualTo(200);
    }

    @Test
    void nextIsFollowedOnlyToAPageOfTheUi() {
        for (String evil : List.of("https://evil.example", "//evil.example/ui/", "/\\evil.example", "https:/evil.example",
                "/api/v1/experiments", "/ui/../api/v1/experiments", "/ui/%2e%2e/api", "javascript:alert(1)", " /ui/models",
                "/ui/login", "/ui/logout", "/ui//evil.example")) {
            assertThat(LoginPages.safeNext(evil)).as(evil).isEqualTo("/");
        }
        assertThat(LoginPages.safeNext("/ui/models/credit%20risk?x=1#v2")).isEqualTo("/ui/models/credit%20risk?x=1#v2");
        assertThat(LoginPages.safeNext("/")).isEqualTo("/");
        assertThat(LoginPages.safeNext(null)).isEqualTo("/");

        assertThat(fixture.open("/ui/login?next=" + Links.encode("https://evil.example"), null).body())
                .contains("name=\"next\" value=\"/\"").doesNotContain("evil.example");
        LoginFixture.Page login = fixture.login("reader", LoginFixture.PASSWORD, "https://evil.example/steal");
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.location()).isEqualTo("/");
    }

    @Test
    void aLogoutEndsTheSessionOnTheServerAndClearsTheCookie() {
        String session = fixture.session("reader");
        String id = session.substring(LoginFixture.SESSION.length() + 1);
        String token = fixture.open("/", session).cookie(Csrf.COOKIE);
        LoginFixture.Page logout = fixture.post("/ui/logout", Map.of("csrf", token), session + "; " + Csrf.COOKIE + "=" + token);
        assertThat(logout.status()).isEqualTo(303);
        assertThat(logout.location()).isEqualTo("/ui/login");
        assertThat(logout.setCookie(LoginFixture.SESSION)).startsWith(LoginFixture.SESSION + "=;").contains("Max-Age=0", "HttpOnly");
        assertThat(fixture.server.store().auth().sessionByHash(ApiTokens.sha256(id))).isEmpty();
        // The old cookie, replayed: no login.
        LoginFixture.Page replay = fixture.open("/", session);
        assertThat(replay.status()).isEqualTo(303);
        assertThat(replay.location()).startsWith("/ui/login?next=");
    }

    @Test
    void aSessionEndsAfterAnHourUnusedAndTwelveHoursAfterTheLoginWhateverHappens() {
        String idle = fixture.session("reader");
        String busy = fixture.session("reader");
        fixture.clock.advance(Duration.ofMinutes(50));
        assertThat(fixture.open("/", busy).status()).isEqualTo(200);
        fixture.clock.advance(Duration.ofMinutes(11));
        assertThat(fixture.open("/", idle).status()).as("61 minutes unused").isEqualTo(303);
        assertThat(fixture.open("/", busy).status()).as("used 11 minutes ago").isEqualTo(200);
        // Used every 50 minutes, it lasts until 12 hours after the login, not a minute more.
        Duration since = Duration.ofMinutes(61);
        while (since.plusMinutes(50).compareTo(Duration.ofHours(12)) < 0) {
            fixture.clock.advance(Duration.ofMinutes(50));
            since = since.plusMinutes(50);
            assertThat(fixture.open("/", busy).status()).as("%s after the login", since).isEqualTo(200);
        }
        fixture.clock.advance(Duration.ofHours(12).minus(since));
        LoginFixture.Page ended = fixture.open("/", busy);
        assertThat(ended.status()).isEqualTo(303);
        assertThat(ended.setCookie(LoginFixture.SESSION)).contains("Max-Age=0");
        assertThat(fixture.open("/", fixture.session("reader")).status()).as("a new login").isEqualTo(200);
    }

    @Test
    void deletingAUserOrChangingTheirPasswordEndsTheirSessions() {
        fixture.addUser("leaving", "readers");
        fixture.addUser("changing", "readers");
        String leaving = fixture.session("leaving");
        String changing = fixture.session("changing");
        String reader = fixture.session("reader");
        String admin = LoginFixture.basic("admin", LoginFixture.PASSWORD);
        assertThat(fixture.open("/", leaving).status()).isEqualTo(200);

        assertThat(send("DELETE", "/api/v1/auth/users/leaving", admin, null)).isEqualTo(204);
        assertThat(fixture.open("/", leaving).status()).isEqualTo(303);
        assertThat(send("PUT", "/api/v1/auth/users/changing/password", admin, "{\"password\":\"a new long password\"}")).isEqualTo(204);
        assertThat(fixture.open("/", changing).status()).isEqualTo(303);
        assertThat(fixture.open("/", reader).status()).as("nobody else's").isEqualTo(200);
        assertThat(fixture.login("changing", "a new long password", "/").status()).isEqualTo(303);
    }

    @Test
    void aReaderLoggedInSeesOnlyTheExperimentsItMayRead() {
        String reader = fixture.session("reader");
        LoginFixture.Page list = fixture.open("/", reader);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(LoginFixture.SHARED).doesNotContain(LoginFixture.THEIRS);
        assertThat(fixture.open("/ui/experiments/" + fixture.sharedId, reader).status()).isEqualTo(200);
        LoginFixture.Page refused = fixture.open("/ui/experiments/" + fixture.theirsId, reader);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).as("the UI's page, not the API's JSON").contains("Not allowed", "</html>").doesNotContain("error_code");
        String other = fixture.session("other");
        assertThat(fixture.open("/", other).body()).contains(LoginFixture.THEIRS).doesNotContain(LoginFixture.SHARED);
    }

    @Test
    void theCookieIsSecureOverHttpsFromATrustedProxyOnly(@TempDir Path dir) {
        // This server believes no proxy: a forwarded https is not believed.
        assertThat(loginCookie(fixture, "X-Forwarded-Proto", "https")).doesNotContain("Secure");
        try (LoginFixture behindProxy = new LoginFixture(dir, List.of("127.0.0.1"))) {
            assertThat(loginCookie(behindProxy, "X-Forwarded-Proto", "https")).contains("; Secure");
            assertThat(loginCookie(behindProxy, "X-Forwarded-Proto", "http")).doesNotContain("Secure");
        }
    }

    @Test
    void withoutLoginTheFormLeadsToThePagesAndNoPageOffersALogout(@TempDir Path dir) {
        try (ServerMain.RunningServer open = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"),
                dir.resolve("artifacts").toUri().toString(), "127.0.0.1", 0), java.time.Clock.systemUTC(), false)) {
            var http = java.net.http.HttpClient.newHttpClient();
            var form = java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.url() + "/ui/login?next=%2Fui%2Fmodels")).build();
            var page = java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.url() + "/")).header("Accept", "text/html").build();
            var redirected = http.send(form, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(redirected.statusCode()).isEqualTo(303);
            assertThat(redirected.headers().firstValue("Location")).contains("/ui/models");
            String html = http.send(page, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(html).contains("Acting as <strong id=\"acting-user\">anonymous</strong>").doesNotContain("logout", "Sign out");
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void howLongASessionLastsIsTwoServerOptionsWithinBounds() {
        SessionSettings defaults = ServerOptions.parse(List.of("--auth")).auth().sessions();
        assertThat(defaults).isEqualTo(new SessionSettings(Duration.ofHours(12), Duration.ofHours(1)));
        SessionSettings set = ServerOptions.parse(List.of("--auth", "--session-ttl", "8h", "--session-idle-timeout=PT20M")).auth().sessions();
        assertThat(set).isEqualTo(new SessionSettings(Duration.ofHours(8), Duration.ofMinutes(20)));
        for (List<String> bad : List.of(List.of("--session-ttl", "1m"), List.of("--session-ttl", "soon"),
                List.of("--session-idle-timeout", "45d"))) {
            assertThatThrownBy(() -> ServerOptions.parse(bad)).as("%s", bad).isInstanceOfSatisfying(CairnException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                assertThat(e.getMessage()).contains(bad.getFirst());
            });
        }
    }

    private static String loginCookie(LoginFixture server, String header, String value) {
        String token = server.csrf();
        LoginFixture.Page page = server.post("/ui/login", Map.of("csrf", token, "user", "reader", "password", LoginFixture.PASSWORD),
                Csrf.COOKIE + "=" + token, header, value);
        assertThat(page.status()).isEqualTo(303);
        return page.setCookie(LoginFixture.SESSION);
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(form);
        all.put(key, value);
        return all;
    }

    private int send(String method, String path, String authorization, String json) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.url() + path)).header("Authorization", authorization);
        request.method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (json != null) request.header("Content-Type", "application/json");
        try {
            return fixture.http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.RawHttp;
import dev.cairn.server.auth.ApiTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone serving process ({@code cairn serve}) authenticates as {@code cairn server} does by default: it does
 * not listen on a non-loopback address without tokens (or the explicit {@code --insecure-no-auth}); with a token file,
 * every route but health needs one of its tokens, as written or listed by its SHA-256.
 */
@DisplayName("cairn serve: no open non-loopback address; bearer tokens from a file; health stays open")
class ServingAuthTest {

    @TempDir
    static Path dir;
    static ServingServer server;
    static Http http;
    static String token;
    static String hashedToken;

    private static final String ROW = "{\"dataframe_records\": [{\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}]}";

    @BeforeAll
    static void start() throws Exception {
        token = ApiTokens.generate().token();
        hashedToken = ApiTokens.generate().token();
        Path tokens = Files.writeString(dir.resolve("tokens"), "# who may predict\n" + token + "\n\n  "
                + ApiTokens.sha256(hashedToken).toUpperCase(java.util.Locale.ROOT) + "  \n");
        Path model = CreditModels.write(dir.resolve("credit-risk"), 5, false);
        server = new ServingServer(new Serving(config(), null, null), "127.0.0.1", 0, ServingAuth.tokens(tokens));
        server.start();
        server.deployAsync(DeploymentSpec.single("credit-risk", model.toString()), "test").join();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    private static ServingConfig config() {
        return ServingConfig.defaults(null).withAliasRefreshInterval(Duration.ZERO);
    }

    @Test
    void aNonLoopbackAddressWithoutTokensRefusesToStartWithOneLine() {
        Serving serving = new Serving(config(), null, null);
        try {
            assertThatThrownBy(() -> new ServingServer(serving, "0.0.0.0", 0).start()).isInstanceOfSatisfying(CairnException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                assertThat(e.code().exitCode()).isEqualTo(2);
                assertThat(e.getMessage()).contains("0.0.0.0").contains("--token-file").contains("--insecure-no-auth").doesNotContain("\n");
            });
        } finally {
            serving.close();
        }
        ServingAuth.insecureNoAuth().checkBinding("0.0.0.0");
        ServingAuth.none().checkBinding("127.0.0.1");
        ServingAuth.none().checkBinding("::1");
        ServingAuth.none().checkBinding("localhost");
        assertThatThrownBy(() -> ServingAuth.none().checkBinding("192.0.2.7")).isInstanceOf(CairnException.class);
    }

    @Test
    void anUnreadBodyNeverLeavesAConnectionClosedWithoutAWord() throws Exception {
        // As on cairn server (UnreadBodyConnectionTest): the body after the answer, then with the head.
        RawHttp.assertNeverClosedSilently(server.url(), "POST /invocations", "", 401, 300);
        RawHttp.assertNeverClosedSilently(server.url(), "GET /health/live", "", 200, 300);
        assertThat(RawHttp.assertNeverClosedSilently(server.url(), "POST /invocations", "", 401, 0)).as("kept after a refusal").isTrue();
        assertThat(RawHttp.assertNeverClosedSilently(server.url(), "GET /health/live", "", 200, 0)).as("kept after an answer").isTrue();
        // A body the handler read (here a bad one, answered 400): nothing left to drop, the connection kept.
        assertThat(RawHttp.assertNeverClosedSilently(server.url(), "POST /invocations", "Authorization: Bearer " + token + "\r\n", 400, 0))
                .as("kept after a read body").isTrue();
    }

    @Test
    void withoutTheRightTokenEveryRouteButHealthIs401Json() {
        for (String open : List.of("/health/live", "/health/ready", "/ping", "/v2/health/live", "/v2/health/ready")) {
            assertThat(http.get(open).status()).as(open).isEqualTo(200);
        }
        Http.Response none = http.post("/invocations", ROW);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.header("WWW-Authenticate")).contains("Bearer");
        for (String wrong : List.of("Bearer " + ApiTokens.generate().token(), "Bearer " + token + "x", "Bearer " + token.substring(1),
                "Bearer " + ApiTokens.sha256(hashedToken), "Basic " + token, token, "Bearer ")) {
            Http.Response response = send("POST", "/invocations", wrong, ROW);
            assertThat(response.status()).as(wrong).isEqualTo(401);
            assertThat(response.body()).doesNotContain(token);
        }
        for (String path : List.of("/metrics", "/api/v1/deployments", "/v2/models/credit-risk")) {
            assertThat(send("GET", path, null, null).status()).as(path).isEqualTo(401);
        }
        assertThat(send("PUT", "/api/v1/deployments/other", null, "{\"targets\": [{\"model\": \"/etc\", \"weight\": 1}]}").status())
                .isEqualTo(401);
    }

    @Test
    void aListedTokenOrOneWhoseHashIsListedIsServed() {
        assertThat(send("POST", "/invocations", "Bearer " + token, ROW).status()).isEqualTo(200);
        assertThat(send("POST", "/invocations", "Bearer " + hashedToken, ROW).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/deployments", "Bearer " + token, null).status()).isEqualTo(200);
    }

    /** Jetty's header cache matched values ignoring case: the altered token, right after the real one on one connection, passed. */
    @Test
    void aTokenWithOneLetterInAnotherCaseIsRefusedRightAfterTheRealOne() {
        int at = token.length() - 1;
        while (!Character.isLetter(token.charAt(at))) at--;
        char c = token.charAt(at);
        String altered = token.substring(0, at) + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                + token.substring(at + 1);
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", "/invocations", "Bearer " + token, ROW).status()).isEqualTo(200);
            assertThat(send("POST", "/invocations", "Bearer " + altered, ROW).status()).isEqualTo(401);
        }
    }

    @Test
    void aTokenFileMustHoldTokensAndItsRefusalsDoNotEchoALine() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo"), token + "\nmy-secret-passw0rd\n");
        assertThatThrownBy(() -> ServingAuth.tokens(typo)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.getMessage()).contains("line 2").doesNotContain("my-secret-passw0rd");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        });
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n");
        assertThatThrownBy(() -> ServingAuth.tokens(empty)).isInstanceOf(CairnException.class).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> ServingAuth.tokens(dir.resolve("missing"))).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> ServingAuth.of(empty, true)).isInstanceOf(CairnException.class).hasMessageContaining("not both");
    }

    private static Http.Response send(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request);
    }
}

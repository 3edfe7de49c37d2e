package dev.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.server.RawHttp;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused before its handler runs (no credentials), or answered by a handler that has no use for a body (a
 * DELETE sent with one), leaves a body nobody read. If the answer went out while part of that body was still on its
 * way, Jetty closed the connection after answering without saying so, and a client that sent its next request on it
 * in the meantime saw it closed under that request (the JDK client does not retry a POST or a DELETE: the route
 * matrix's "header parser received no bytes", on a refused POST once and on an admin's DELETE of an experiment once).
 * The servers now read and drop a small unread body before every answer, so the connection stays clean; a large one,
 * or one the client waits to be asked for ({@code Expect: 100-continue}), gets {@code Connection: close} instead.
 * (The standalone serving server's case is in {@code ServingAuthTest}.)
 */
class UnreadBodyConnectionTest {

    private static final String REFUSED = "POST /api/2.0/mlflow/experiments/create";

    @TempDir
    Path dir;

    @Test
    void aSmallBodyArrivingAfterARefusalOrAnAnswerIsReadSoTheConnectionServesTheNextRequest() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir)) {
            RawHttp.assertKeptAfterLateBody(fixture.running.url(), REFUSED, "", 401);
            // Before, this one was answered and then the connection closed without a word: the next request's write
            // failed (a broken pipe).
            RawHttp.assertKeptAfterLateBody(fixture.running.url(), "GET /health/live", "", 200);
            RawHttp.assertKeptAfterLateBody(fixture.running.url(), "DELETE /api/v1/experiments/" + fixture.experimentId,
                    "Authorization: " + fixture.authorization("admin") + "\r\n", 200);
        }
    }

    @Test
    void aLargeUnreadBodyOrOneWaitingForContinueClosesTheConnection() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir)) {
            try (Socket socket = RawHttp.connect(fixture.running.url())) {
                // The head alone: bytes the server left unread when it closes could make it reset the connection
                // before this side reads the answer.
                socket.getOutputStream().write(RawHttp.head(REFUSED, 10 * 1024 * 1024, "").getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response refused = RawHttp.Response.read(socket.getInputStream());
                assertEquals(401, refused.status());
                assertEquals("close", refused.headers().get("connection"));
            }
            try (Socket socket = RawHttp.connect(fixture.running.url())) {
                socket.getOutputStream().write(RawHttp.head(REFUSED, 100, "Expect: 100-continue\r\n").getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response refused = RawHttp.Response.read(socket.getInputStream());
                assertEquals(401, refused.status(), "refused without asking for the body");
                assertEquals("close", refused.headers().get("connection"));
            }
        }
    }
}

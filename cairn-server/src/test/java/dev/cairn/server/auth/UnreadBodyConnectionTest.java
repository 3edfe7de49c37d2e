package dev.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.RawHttp;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused before its handler runs (no credentials), or answered by a handler that has no use for a body (a
 * DELETE sent with one), leaves a body nobody read. If the answer went out while part of that body was still on its
 * way, Jetty closed the connection after answering, without saying so after a success, and a client that sent its next
 * request on it in the meantime saw it fail (the JDK client does not retry a POST or a DELETE: the route matrix's
 * "header parser received no bytes", on a refused POST once and on an admin's DELETE of an experiment once). The
 * servers now read and drop a small unread body that has arrived, so the connection stays usable, and otherwise say
 * {@code Connection: close}; they never wait for the rest (that would let anyone hold a server thread).
 * (The standalone serving server's case is in {@code ServingAuthTest}.)
 */
class UnreadBodyConnectionTest {

    private static final String REFUSED = "POST /api/2.0/mlflow/experiments/create";

    @TempDir
    Path dir;

    @Test
    void anUnreadBodyNeverLeavesAConnectionClosedWithoutAWord() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir)) {
            String url = fixture.running.url();
            String admin = "Authorization: " + fixture.authorization("admin") + "\r\n";
            // The body after the answer: a refusal, an answer whose handler ignores it (before, this one's connection
            // closed without a word and the next request's write failed), an admin's DELETE.
            RawHttp.assertNeverClosedSilently(url, REFUSED, "", 401, 300);
            RawHttp.assertNeverClosedSilently(url, "GET /health/live", "", 200, 300);
            RawHttp.assertNeverClosedSilently(url, "DELETE /api/v1/experiments/" + fixture.experimentId, admin, 200, 300);
            // The body with the head, as most clients send a small one: read and dropped, the connection kept.
            assertTrue(RawHttp.assertNeverClosedSilently(url, REFUSED, "", 401, 0), "kept after a refusal");
            assertTrue(RawHttp.assertNeverClosedSilently(url, "GET /health/live", "", 200, 0), "kept after an answer");
        }
    }

    @Test
    void aBodyThatNeverComesIsNotWaitedFor() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir); Socket socket = RawHttp.connect(fixture.running.url())) {
            // The head of a small body, and nothing more: the refusal comes at once (within the socket's 20 s read
            // timeout, where the server's idle timeout is 30 s), and says the connection closes.
            socket.getOutputStream().write(RawHttp.head(REFUSED, 100, "").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response refused = RawHttp.Response.read(socket.getInputStream());
            assertEquals(401, refused.status());
            assertEquals("close", refused.headers().get("connection"));
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

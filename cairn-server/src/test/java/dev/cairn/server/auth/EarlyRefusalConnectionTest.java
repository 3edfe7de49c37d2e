package dev.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused before its handler runs (no credentials) has a body nobody read. If the answer went out while
 * part of that body was still on its way, Jetty decided at the end of the exchange whether to keep the connection, and
 * a client that sent its next request on it in the meantime could see it closed under that request (the JDK client
 * does not retry a POST: the "header parser received no bytes" once seen in the route matrix). The server now reads
 * and drops a small unread body before any error answer, so the connection stays clean; a large one, or one the client
 * waits to be asked for ({@code Expect: 100-continue}), gets {@code Connection: close} instead.
 */
class EarlyRefusalConnectionTest {

    private static final String ROUTE = "/api/2.0/mlflow/experiments/create";

    @TempDir
    Path dir;

    @Test
    void aSmallBodyArrivingAfterTheHeadIsReadSoTheConnectionServesTheNextRequest() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir); Socket socket = connect(fixture)) {
            String body = "{\"name\":\"early-refusal\"}";
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head("POST", body.length(), "").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body in a later packet, as the JDK client sends it: access control has refused the request by then.
            Thread.sleep(300);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response refused = Response.read(in);
            assertEquals(401, refused.status());
            assertNull(refused.headers().get("connection"), "the connection is kept: " + refused.headers());

            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response next = Response.read(in);
            assertEquals(200, next.status(), "the kept connection answers the next request");
            assertTrue(next.body().contains("UP"), next.body());
        }
    }

    @Test
    void aLargeUnreadBodyOrOneWaitingForContinueClosesTheConnection() throws Exception {
        try (AuthFixture fixture = new AuthFixture(dir)) {
            try (Socket socket = connect(fixture)) {
                // The head alone: bytes the server left unread when it closes could make it reset the connection
                // before this side reads the answer.
                socket.getOutputStream().write(head("POST", 10 * 1024 * 1024, "").getBytes(StandardCharsets.US_ASCII));
                Response refused = Response.read(socket.getInputStream());
                assertEquals(401, refused.status());
                assertEquals("close", refused.headers().get("connection"));
            }
            try (Socket socket = connect(fixture)) {
                socket.getOutputStream().write(head("POST", 100, "Expect: 100-continue\r\n").getBytes(StandardCharsets.US_ASCII));
                Response refused = Response.read(socket.getInputStream());
                assertEquals(401, refused.status(), "refused without asking for the body");
                assertEquals("close", refused.headers().get("connection"));
            }
        }
    }

    private static Socket connect(AuthFixture fixture) throws IOException {
        URI url = URI.create(fixture.running.url());
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String head(String method, long length, String extra) {
        return method + " " + ROUTE + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n" + extra + "\r\n";
    }

    private record Response(int status, Map<String, String> headers, String body) {
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            assertTrue(statusLine.startsWith("HTTP/1.1 "), "a status line, got '" + statusLine + "'");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(Integer.parseInt(statusLine.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) throw new IOException("the server closed the connection after: " + line);
                if (b != '\r') line.write(b);
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}

package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library hides: when each byte is sent, and what happens to the
 * connection afterwards.
 */
public final class RawHttp {

    private RawHttp() {}

    /** A socket to the server at {@code url}, reads timing out after 20 s. */
    public static Socket connect(String url) throws IOException {
        URI uri = URI.create(url);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** The head of {@code request} ("POST /path") with a JSON body of {@code length} bytes, {@code extra} header lines after. */
    public static String head(String request, long length, String extra) {
        return request + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n" + extra + "\r\n";
    }

    /**
     * Sends {@code request} ({@code extra}: header lines, such as credentials) with a small body, {@code delayMillis}
     * after its head (0: in the same write), and checks that the answer has {@code status}, then that the connection
     * either serves a next request or the answer said {@code Connection: close}: never closed without a word. Returns
     * whether the connection was kept.
     */
    public static boolean assertNeverClosedSilently(String url, String request, String extra, int status, long delayMillis) throws Exception {
        try (Socket socket = connect(url)) {
            String body = "{\"name\":\"unread-body\"}";
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String head = head(request, body.length(), extra);
            if (delayMillis > 0) {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // A later packet, as the JDK client sends a body: the handler (or access control) is done with the
                // request by then. Were the server quicker to read the body, the answer would be the same.
                Thread.sleep(delayMillis);
                out.write(body.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write((head + body).getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            Response first = Response.read(in);
            assertEquals(status, first.status(), first.body());
            if ("close".equalsIgnoreCase(first.headers().get("connection"))) return false;

            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response next = Response.read(in);
            assertEquals(200, next.status(), "the kept connection answers the next request");
            assertTrue(next.body().contains("UP"), next.body());
            return true;
        }
    }

    /** An answer: its status, its headers by lower-case name, its body (by Content-Length). */
    public record Response(int status, Map<String, String> headers, String body) {
        public static Response read(InputStream in) throws IOException {
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

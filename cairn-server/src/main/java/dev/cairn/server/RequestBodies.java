package dev.cairn.server;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads JSON request bodies with a given API's mapper. Jackson's complaints become 400s naming
 * the field and the expected type ({@link ErrorRenderer#fromJackson}); a body larger than
 * {@link #MAX_JSON_BYTES} is refused with 413 rather than parsed into memory (file contents go
 * through the streamed artifact endpoints, never through JSON).
 */
public final class RequestBodies {

    /** Far above MLflow's largest request (a log-batch of 1000 metrics, 100 params and 100 tags). */
    public static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

    private RequestBodies() {}

    public static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
        return read(ctx, mapper, mapper.constructType(type));
    }

    public static <T> T read(Context ctx, ObjectMapper mapper, JavaType type) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_JSON_BYTES) throw tooLarge(declared);
        // Authorization may have read the body already to find the resource it names (BufferedBody).
        byte[] buffered = dev.cairn.server.auth.BufferedBody.bytes(ctx);
        try (InputStream in = new Limited(buffered != null ? new java.io.ByteArrayInputStream(buffered) : ctx.bodyInputStream(),
                MAX_JSON_BYTES)) {
            T value = mapper.readValue(in, type);
            if (value == null) {
                throw new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is 'null': expected a JSON object");
            }
            // Typed bodies are checked string by string as they are read (JsonMappers); a tree is checked here.
            if (value instanceof JsonNode tree) refuseNul(tree, "");
            return value;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ErrorRenderer.fromJackson(e);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    /** The most of an unread body the server reads and drops to keep the connection (see {@link #discardUnread}). */
    static final int MAX_DISCARDED_BYTES = 64 * 1024;

    /** Adds {@link #discardUnread} after every request of the server being configured (success, error or refusal). */
    public static void register(JavalinConfig config) {
        config.routes.after(RequestBodies::discardUnread);
    }

    /**
     * Before the answer goes out: reads and drops what has arrived of a small request body nobody read, so that the
     * connection is clean for the client's next request; if the body is not all there (or too large, or unreadable),
     * the answer says {@code Connection: close}. A request refused before its handler ran (no credentials), or answered
     * by a handler that has no use for a body (a DELETE sent with one), leaves a body nobody read, and part of it may
     * still be on its way: Jetty then closed the connection after the answer without always saying so (a success did
     * not), and a client that sent its next request on it meanwhile saw that request fail (the JDK client does not
     * retry a POST or a DELETE). Only what has arrived is read: waiting for the rest would let any client, credentials
     * or not, hold a server thread for as long as it cares to stall. A client that waits for {@code 100 Continue} before
     * sending its body is not asked for it: the answer closes the connection.
     */
    private static void discardUnread(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0) return;
        // Even asking whether the body is finished would send 100 Continue.
        boolean clean = ctx.header("Expect") == null && drained(ctx, declared);
        if (!clean) ctx.header("Connection", "close");
    }

    /** Whether the body is read to its end now: it was already, or it was small and all of it had arrived. */
    private static boolean drained(Context ctx, long declared) {
        try {
            if (ctx.req().getInputStream().isFinished()) return true;
            if (declared > MAX_DISCARDED_BYTES) return false;
            // Jetty's own request reads what has arrived without waiting for more (the servlet stream can only block).
            Request request = ServletContextRequest.getServletContextRequest(ctx.req());
            if (request == null) return false;
            long read = 0;
            while (read <= MAX_DISCARDED_BYTES) {
                Content.Chunk chunk = request.read();
                if (chunk == null) return false;
                try {
                    if (Content.Chunk.isFailure(chunk)) return false;
                    read += chunk.remaining();
                    if (chunk.isLast()) return read <= MAX_DISCARDED_BYTES;
                } finally {
                    chunk.release();
                }
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            // read by the handler in another way, or the client went away: close rather than guess
            return false;
        }
    }

    /** Refuses a NUL in any string of a JSON tree, naming where it is ({@code spec.data}, {@code rows[2]}). */
    private static void refuseNul(JsonNode node, String path) {
        if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
            throw CairnException.invalid(path.isEmpty() ? "(request body)" : path, node.textValue().replace("\0", "\\0"),
                    "a string without NUL characters");
        }
        if (node.isObject()) {
            node.properties().forEach(e -> {
                refuseNul(new com.fasterxml.jackson.databind.node.TextNode(e.getKey()), path);
                refuseNul(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) refuseNul(node.get(i), path + "[" + i + "]");
        }
    }

    /** {@code spec.data} or {@code metrics[0].key}: where a streaming parser is, as a field path. */
    static String fieldPath(JsonStreamContext context) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) parts.addFirst("." + c.getCurrentName());
            else if (c.inArray()) parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
        }
        String path = String.join("", parts);
        if (path.startsWith(".")) path = path.substring(1);
        return path.isEmpty() ? "(request body)" : path;
    }

    private static CairnException tooLarge(long size) {
        return new CairnException(ErrorCode.PAYLOAD_TOO_LARGE, "The JSON request body has " + (size < 0 ? "more than " + MAX_JSON_BYTES : size)
                + " bytes: expected at most " + MAX_JSON_BYTES + " (upload files as artifacts instead)",
                Map.of("limit", MAX_JSON_BYTES));
    }

    /** Stops reading a body without a Content-Length (chunked) once it passes the limit. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(long n) {
            count += n;
            if (count > limit) throw tooLarge(-1);
        }
    }
}

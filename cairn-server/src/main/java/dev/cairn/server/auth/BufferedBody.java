package dev.cairn.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JSON request body read once, before the handler, when authorization needs one of its fields (an MLflow RPC
 * names its experiment or run in the body). The bytes are kept on the request so that the handler's reader
 * ({@code RequestBodies}, {@code MlflowRequest}) reads them instead of the consumed stream; at most one byte more
 * than the readers' limit is kept, so they still refuse a body that is too large.
 */
public final class BufferedBody {

    static final String BYTES = "cairn.auth.body";
    private static final String TREE = "cairn.auth.body.json";
    /** One more than the JSON readers' limit (16 MiB). */
    static final int LIMIT = 16 * 1024 * 1024 + 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BufferedBody() {}

    /** The body if authorization read it, else null (the handler reads the stream itself). */
    public static byte[] bytes(Context ctx) {
        return ctx.attribute(BYTES);
    }

    /**
     * The body parsed as JSON, or null when it is empty or not JSON (the handler then answers as it would). Whatever
     * looks into a body before the handler reads it through here: the request's stream can be read once.
     */
    public static JsonNode json(Context ctx) {
        Object cached = ctx.attribute(TREE);
        if (cached instanceof JsonNode node) return node;
        if (cached != null) return null;
        byte[] body = read(ctx);
        JsonNode node = null;
        if (body.length > 0 && body.length < LIMIT) {
            try {
                node = MAPPER.readTree(body);
            } catch (IOException notJson) {
                // the handler reports the malformed body
            }
        }
        ctx.attribute(TREE, node == null ? Boolean.FALSE : node);
        return node;
    }

    private static byte[] read(Context ctx) {
        byte[] cached = bytes(ctx);
        if (cached != null) return cached;
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(LIMIT);
            ctx.attribute(BYTES, body);
            return body;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }
}

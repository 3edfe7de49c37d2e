package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a request body but never more than the limit: a declared Content-Length over it is refused
 * before reading, and a chunked body is cut off at limit + 1 bytes, so a huge upload costs the
 * server at most the limit in memory.
 */
final class BoundedBody {
    private BoundedBody() {}

    static byte[] read(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            int initial = (int) Math.min(declared > 0 ? declared : 8192, limit + 1);
            byte[] buffer = new byte[Math.max(initial, 16)];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    if (length > limit) break;
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) break;
                length += n;
            }
            if (length > limit) {
                throw tooLarge(length, limit);
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    static CairnException tooLarge(long size, long limit) {
        return new CairnException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body has " + size + (size > limit ? "" : "+") + " bytes; the limit is " + limit + " bytes",
                Map.of("field", "(request body)", "value", size + " bytes", "expected", "at most " + limit + " bytes"));
    }
}

package dev.cairn.server;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads JSON request bodies with a given API's mapper. Jackson's complaints become 400s naming
 * the field and the expected type ({@link ErrorRenderer#fromJackson}).
 */
public final class RequestBodies {

    private RequestBodies() {}

    public static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
        return read(ctx, mapper, mapper.constructType(type));
    }

    public static <T> T read(Context ctx, ObjectMapper mapper, JavaType type) {
        try (InputStream in = ctx.bodyInputStream()) {
            T value = mapper.readValue(in, type);
            if (value == null) {
                throw new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is 'null': expected a JSON object");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ErrorRenderer.fromJackson(e);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }
}

package dev.cairn.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers by itself, before or outside Javalin's handlers (an unparsable request line,
 * a URI Jetty refuses, a failure after a handler gave up the response): the same JSON body as
 * every other error instead of Jetty's HTML page, and never a stack trace.
 */
final class JettyErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    JettyErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private byte[] body(int status, String message) {
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413, 431 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
        };
        String text = status >= 500 ? ErrorRenderer.INTERNAL_MESSAGE
                : message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        try {
            return mapper.writeValueAsBytes(new ErrorBody(code.name(), text, Map.of()));
        } catch (IOException e) {
            return ("{\"error_code\":\"" + code.name() + "\",\"message\":\"HTTP " + status + "\",\"details\":{}}").getBytes();
        }
    }
}

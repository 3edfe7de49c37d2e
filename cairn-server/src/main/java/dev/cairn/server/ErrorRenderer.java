package dev.cairn.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.text.Printable;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.javalin.validation.ValidationException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP responses. Every error body has the same shape,
 * {@code {"error_code": …, "message": …, "details": {…}}}; the status is the {@link ErrorCode}'s.
 * Internal errors are logged with their stack trace here and answered with a generic message, so
 * nothing of the server's internals reaches the client.
 */
public final class ErrorRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);
    static final String INTERNAL_MESSAGE = "Internal server error; the server log has the details";

    private final ObjectMapper mapper;
    private final ServerPaths paths;
    private final List<ErrorPages> pages;

    public ErrorRenderer(ObjectMapper mapper) {
        this(mapper, ServerPaths.NONE, List.of());
    }

    /**
     * {@code paths}: the server's directories, which error answers name by placeholders instead; {@code pages}: the
     * route groups that answer their own requests' errors as pages.
     */
    public ErrorRenderer(ObjectMapper mapper, ServerPaths paths, List<ErrorPages> pages) {
        this.mapper = mapper;
        this.paths = paths;
        this.pages = List.copyOf(pages);
    }

    /**
     * Registers the exception handlers on a server's configuration, and Jetty's error handler for
     * what Jetty answers by itself (a refused URI, a bad request line), so that every server that
     * calls this ({@code cairn server}, {@code cairn serve}) answers every error with the same body.
     */
    public void register(JavalinConfig config) {
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrorHandler(mapper)));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrorHandler(mapper)));
        // A NUL (or another character the platform refuses) in a path a request names: a bad
        // request, whichever handler turned the text into a Path.
        config.routes.exception(InvalidPathException.class, (e, ctx) -> render(ctx, CairnException.invalid("path",
                e.getInput().replace("\0", "\\0"), "a valid file path (" + e.getReason() + ")")));
        config.routes.exception(CairnException.class, (e, ctx) -> render(ctx, e));
        config.routes.exception(JacksonException.class, (e, ctx) -> render(ctx, fromJackson(e)));
        config.routes.exception(ValidationException.class, (e, ctx) -> render(ctx, fromValidation(e)));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromJavalin(ctx, e)));
        config.routes.exception(Exception.class, (e, ctx) -> renderInternal(ctx, e));
        config.router.javaLangErrorHandler((response, error) -> {
            LOG.error("Unexpected error", error);
            try {
                if (!response.isCommitted()) {
                    response.reset();
                    response.setStatus(500);
                    response.setContentType("application/json");
                    response.getOutputStream().write(mapper.writeValueAsBytes(
                            ErrorBody.of(new CairnException(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE))));
                }
            } catch (IOException | RuntimeException writeFailure) {
                LOG.debug("Could not write the error response", writeFailure);
            }
        });
    }

    /** Writes the error body for {@code e}, or aborts the response when its head is already sent. */
    public void render(Context ctx, CairnException e) {
        // Escaped: a message echoes request values, and a newline in one must not forge a log line.
        if (e.code().kind() == ErrorCode.Kind.INTERNAL) {
            LOG.error("{} {} failed: {}", ctx.method(), Printable.escape(ctx.path()), Printable.escape(e.getMessage()), e);
        } else {
            LOG.debug("{} {} refused: {}", ctx.method(), Printable.escape(ctx.path()), Printable.escape(e.getMessage()));
        }
        // An internal error's message is for the log: it names server paths and database errors.
        // (DATA_LOSS keeps its message: which artifact failed its checksum is the client's business.)
        write(ctx, e.code() == ErrorCode.INTERNAL_ERROR ? new CairnException(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE) : e);
    }

    private void write(Context ctx, CairnException e) {
        if (ctx.res().isCommitted()) {
            // The status is on the wire already (a streamed download failed half-way): the only
            // honest signal left is to cut the connection so the client sees a truncated body.
            throw new IllegalStateException("Response already committed; aborting", e);
        }
        try {
            // Headers a handler set for a success (Content-Length of a download) must not survive.
            ctx.res().reset();
            for (ErrorPages page : pages) {
                if (page.rendersErrorOf(ctx)) {
                    page.renderError(ctx, hidden(e));
                    return;
                }
            }
            // RFC 9110: a 401 names the schemes that would be accepted (MLflow's clients send Basic or Bearer).
            if (e.code() == ErrorCode.UNAUTHENTICATED) ctx.header("WWW-Authenticate", "Basic realm=\"cairn\", Bearer realm=\"cairn\"");
            ctx.status(e.code().httpStatus())
                    .contentType("application/json")
                    .result(mapper.writeValueAsBytes(hidden(ErrorBody.of(e))));
        } catch (JsonProcessingException writeFailure) {
            ctx.status(500).contentType("application/json")
                    .result("{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"" + INTERNAL_MESSAGE + "\",\"details\":{}}");
        }
    }

    /**
     * The body with the server's directories named by placeholders; {@code details.value} stays as it is, being by
     * convention what the client sent (which it knows already, and must recognise).
     */
    private CairnException hidden(CairnException e) {
        if (paths.replacements().isEmpty()) return e;
        return new CairnException(e.code(), paths.hide(e.getMessage()));
    }

    private ErrorBody hidden(ErrorBody body) {
        if (paths.replacements().isEmpty()) return body;
        Map<String, Object> details = new LinkedHashMap<>();
        body.details().forEach((key, value) -> details.put(key, key.equals("value") ? value : paths.hideIn(value)));
        return new ErrorBody(body.errorCode(), paths.hide(body.message()), details);
    }

    private void renderInternal(Context ctx, Exception e) {
        LOG.error("{} {} failed", ctx.method(), Printable.escape(ctx.path()), e);
        if (ctx.res().isCommitted()) {
            throw new IllegalStateException("Response already committed; aborting", e);
        }
        write(ctx, new CairnException(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE));
    }

    /** Turns Jackson's complaint about a request body into a 400 naming the field and the expected type. */
    public static CairnException fromJackson(JacksonException e) {
        // A CairnException raised under Jackson (by a record's constructor, or by the stream that
        // limits a body's size) arrives wrapped: it is the real answer.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof CairnException cairn) return cairn;
        }
        if (e instanceof InputCoercionException coercion) {
            String expected = describe(coercion.getTargetType()) + " within range";
            return invalidField("(request body)", null, "A number in the request body is out of range: expected " + expected, expected);
        }
        if (e instanceof StreamReadException parse) {
            var location = parse.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new CairnException(ErrorCode.MALFORMED_REQUEST,
                    "Malformed JSON" + where + ": " + firstLine(parse.getOriginalMessage()),
                    location == null ? Map.of() : Map.of("line", location.getLineNr(), "column", location.getColumnNr()));
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return new CairnException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        String field = fieldPath(mapping.getPath());
        if (mapping instanceof MismatchedInputException mismatch && field.isEmpty()
                && mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("No content to map")) {
            return new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is empty: expected a JSON object");
        }
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            String expected = known == null || known.isEmpty() ? "no such field"
                    : "one of the fields " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return invalidField(field, unknown.getPropertyName(), "Unknown field '" + field + "': expected " + expected, expected);
        }
        if (mapping instanceof InvalidFormatException format) {
            String expected = describe(format.getTargetType());
            return CairnException.invalid(orBody(field), format.getValue(), expected);
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = describe(mismatch.getTargetType());
            return invalidField(orBody(field), null,
                    "Invalid value for '" + orBody(field) + "': expected " + expected, expected);
        }
        Throwable cause = mapping.getCause();
        if (cause instanceof CairnException ce) {
            return ce;
        }
        if (cause instanceof InputCoercionException coercion) {
            String expected = describe(coercion.getTargetType()) + " within range";
            return invalidField(orBody(field), null, "Invalid value for '" + orBody(field) + "': expected " + expected, expected);
        }
        String reason = cause instanceof JacksonException jackson ? firstLine(jackson.getOriginalMessage())
                : cause != null && cause.getMessage() != null ? firstLine(cause.getMessage()) : firstLine(mapping.getOriginalMessage());
        return invalidField(orBody(field), null, "Invalid value for '" + orBody(field) + "': " + reason, reason);
    }

    private static CairnException invalidField(String field, Object value, String message, String expected) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        if (value != null) details.put("value", String.valueOf(value));
        details.put("expected", expected);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message, details);
    }

    private static String orBody(String field) {
        return field.isEmpty() ? "(request body)" : field;
    }

    /** {@code metrics[0].value} from Jackson's reference chain. */
    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) out.append('.');
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The JSON type a Java type stands for, as a user reading the error would call it. */
    static String describe(Class<?> type) {
        if (type == null) return "a valid value";
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) return "a string";
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class) return "an integer";
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) return "a number";
        if (type == boolean.class || type == Boolean.class) return "a boolean (true or false)";
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return "one of " + java.util.Arrays.stream(constants).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "an array";
        return "a JSON object";
    }

    private static CairnException fromValidation(ValidationException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        StringBuilder message = new StringBuilder();
        e.getErrors().forEach((field, errors) -> {
            String text = errors.stream().map(error -> error.getMessage()
                    + (error.value == null ? "" : " (got '" + error.value + "')")).collect(Collectors.joining("; "));
            details.put(field, text);
            if (!message.isEmpty()) message.append("; ");
            message.append("Invalid value for '").append(field).append("': ").append(text);
        });
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message.toString(), details);
    }

    private static CairnException fromJavalin(Context ctx, HttpResponseException e) {
        if (e instanceof EndpointNotFound) {
            return new CairnException(ErrorCode.ENDPOINT_NOT_FOUND, "No endpoint " + ctx.method() + " " + ctx.path(),
                    Map.of("method", ctx.method().name(), "path", ctx.path()));
        }
        if (e.getStatus() == 405) {
            return new CairnException(ErrorCode.METHOD_NOT_ALLOWED, "Method " + ctx.method() + " is not allowed on " + ctx.path(),
                    Map.of("method", ctx.method().name(), "path", ctx.path()));
        }
        ErrorCode code = switch (e.getStatus()) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> e.getStatus() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
        return new CairnException(code, code == ErrorCode.INTERNAL_ERROR ? INTERNAL_MESSAGE : e.getMessage());
    }

    /**
     * Jackson's message for a client: its first line, without the location suffixes (which name
     * internal sources) and without hints at Jackson's configuration ("enable
     * JsonReadFeature.ALLOW_…", "Feature 'ALLOW_COMMENTS' not enabled"), which are about the
     * server's settings, not anything the client can change.
     */
    public static String firstLine(String s) {
        if (s == null) return "";
        int newline = s.indexOf('\n');
        String line = newline < 0 ? s : s.substring(0, newline);
        // Hints inside a sentence: "(or 'NaN'/'+INF'/'-INF' if enabled)", "(1000, from `StreamReadConstraints…`)".
        line = line.replaceAll("\\s*\\(or [^()]*if enabled\\)", "").replaceAll(",\\s*from `[^`]*`", "");
        for (String marker : CONFIGURATION_HINTS) {
            int at = line.indexOf(marker);
            if (at >= 0) line = line.substring(0, at);
        }
        line = line.strip();
        while (line.endsWith(";") || line.endsWith(",") || line.endsWith(":")) line = line.substring(0, line.length() - 1).strip();
        return line;
    }

    /** Where Jackson's messages start saying something about its own configuration or internals. */
    private static final List<String> CONFIGURATION_HINTS = List.of(" (start marker at", "; enable", ": enable", " enable `", " (for example",
            " (not recognized as one since", " (JsonReadFeature", " (StreamReadFeature", "JsonReadFeature", "StreamReadFeature",
            "JsonParser.Feature", "DeserializationFeature", "MapperFeature", "(through reference chain");
}

package dev.cairn.server;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses, with 415 and the usual JSON error body, a request body in a media type its route does not take, before any
 * handler reads it. Driven by the route groups' declarations ({@link ApiRoutes#requestBodies()}), so a new route is
 * checked as soon as it declares its body.
 *
 * <p>Why: a web page can make a browser send a "simple" cross-site request without asking the server first (no CORS
 * preflight) only with {@code text/plain}, {@code application/x-www-form-urlencoded} or {@code multipart/form-data}, or
 * with no type at all. Refusing those on JSON routes means such a page cannot move an alias or delete a model through
 * its visitor's browser. A JSON route takes {@code application/json} (or any {@code +json} type), with any parameters
 * ({@code charset}); a body without a type is refused too, an empty one without a type is let through (nothing is
 * read). A route taking another type (YAML rules, raw artifact bytes) takes any type but the form types.
 */
final class RequestContentTypes {

    private static final String JSON = "application/json";
    private static final List<String> FORMS = List.of("application/x-www-form-urlencoded", "multipart/form-data");

    /** The media type each declared route takes, by "METHOD path" as Javalin registered the route. */
    private final Map<String, String> declared;

    RequestContentTypes(List<ApiRoutes> groups) {
        Map<String, String> all = new HashMap<>();
        for (ApiRoutes group : groups) {
            for (ApiRoutes.RequestBody body : group.requestBodies()) {
                all.put(key(body.method(), body.path()), body.contentType().toLowerCase(Locale.ROOT));
            }
        }
        this.declared = Map.copyOf(all);
    }

    private static String key(HandlerType method, String path) {
        return method.name() + " " + path;
    }

    /**
     * A before-matched handler: throws UNSUPPORTED_MEDIA_TYPE when the request's body is not of its route's type. The
     * route is the one Javalin matched, looked up by its registered path: one hash lookup per request (the inference
     * path included), and no second copy of Javalin's path matching.
     */
    void check(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null) return;
        String expected = declared.get(key(endpoint.method, endpoint.path));
        if (expected == null) return;
        String header = ctx.header("Content-Type");
        String type = header == null ? null : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (expected.equals(JSON)) {
            if (type == null || type.isEmpty()) {
                if (!hasBody(ctx)) return;
                throw refused(header, "application/json");
            }
            if (type.equals(JSON) || (type.startsWith("application/") && type.endsWith("+json"))) return;
            throw refused(header, "application/json");
        }
        if (type != null && FORMS.contains(type)) throw refused(header, expected);
    }

    private static boolean hasBody(Context ctx) {
        String length = ctx.header("Content-Length");
        if (length != null) return !length.trim().equals("0");
        return ctx.header("Transfer-Encoding") != null;
    }

    private static CairnException refused(String sent, String expected) {
        return new CairnException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Content-Type " + (sent == null ? "(none)" : "'" + sent + "'") + ": this route takes " + expected,
                Map.of("field", "Content-Type", "value", String.valueOf(sent), "expected", expected));
    }
}

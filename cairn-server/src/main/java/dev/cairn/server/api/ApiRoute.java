package dev.cairn.server.api;

import dev.cairn.server.auth.Access;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint of Cairn's API as data: method, path, what it does, its parameters, the types of
 * its request and response bodies, and its handler. The same list both registers the handlers and
 * generates the OpenAPI document, so the two cannot drift apart.
 *
 * <p>{@code access} is what the route needs from its caller ({@link Access}); a server refuses to start while
 * one of its routes has none, so no route can be served without deciding who may call it.
 *
 * <p>{@code path} uses Javalin's syntax: {@code {name}} for a segment, {@code <name>} for a tail
 * that may contain slashes (an artifact path, a tag key).
 */
public record ApiRoute(
        HandlerType method,
        String path,
        String summary,
        String tag,
        List<ApiParameter> parameters,
        Type requestBody,
        String requestContentType,
        Type responseBody,
        String responseContentType,
        int successStatus,
        Access access,
        Handler handler) {

    private static final Pattern PATH_PARAMETER = Pattern.compile("[{<]([A-Za-z0-9_]+)[}>]");

    public ApiRoute {
        parameters = List.copyOf(parameters);
    }

    /** The path parameters, in order of appearance. */
    public List<String> pathParameterNames() {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** The path as OpenAPI writes it: {@code <name>} becomes {@code {name}}. */
    public String openApiPath() {
        return path.replace('<', '{').replace('>', '}');
    }

    public static Builder get(String path, String summary) {
        return new Builder(HandlerType.GET, path, summary);
    }

    public static Builder post(String path, String summary) {
        return new Builder(HandlerType.POST, path, summary);
    }

    public static Builder put(String path, String summary) {
        return new Builder(HandlerType.PUT, path, summary);
    }

    public static Builder patch(String path, String summary) {
        return new Builder(HandlerType.PATCH, path, summary);
    }

    public static Builder delete(String path, String summary) {
        return new Builder(HandlerType.DELETE, path, summary);
    }

    /** Collects a route's description; {@link #handle} finishes it. */
    public static final class Builder {
        private final HandlerType method;
        private final String path;
        private final String summary;
        private String tag = "cairn";
        private final List<ApiParameter> parameters = new ArrayList<>();
        private Type requestBody;
        private String requestContentType = "application/json";
        private Type responseBody;
        private String responseContentType = "application/json";
        private int successStatus = 200;
        private Access access;

        private Builder(HandlerType method, String path, String summary) {
            this.method = method;
            this.path = path;
            this.summary = summary;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public Builder query(String name, String type, String description) {
            parameters.add(new ApiParameter(name, ApiParameter.In.QUERY, type, false, description));
            return this;
        }

        public Builder requiredQuery(String name, String type, String description) {
            parameters.add(new ApiParameter(name, ApiParameter.In.QUERY, type, true, description));
            return this;
        }

        public Builder header(String name, String description) {
            parameters.add(new ApiParameter(name, ApiParameter.In.HEADER, "string", false, description));
            return this;
        }

        /** Adds {@code max_results} and {@code page_token}. */
        public Builder paged() {
            return paged(Paging.DEFAULT, Paging.LIMIT);
        }

        /** Adds {@code max_results} and {@code page_token}, for a listing with its own page sizes. */
        public Builder paged(int defaultSize, int limit) {
            query(Paging.MAX_RESULTS, "integer", "Page size, 1 to " + limit + " (default " + defaultSize + ")");
            return query(Paging.PAGE_TOKEN, "string", "The next_page_token of the previous page");
        }

        public Builder body(Type type) {
            this.requestBody = type;
            return this;
        }

        /** A raw (non-JSON) request body, streamed. */
        public Builder rawBody(String contentType) {
            this.requestBody = byte[].class;
            this.requestContentType = contentType;
            return this;
        }

        public Builder returns(Type type) {
            this.responseBody = type;
            return this;
        }

        public Builder returnsRaw(String contentType) {
            this.responseBody = byte[].class;
            this.responseContentType = contentType;
            return this;
        }

        public Builder status(int status) {
            this.successStatus = status;
            return this;
        }

        /** What the route needs from its caller. */
        public Builder access(Access access) {
            this.access = access;
            return this;
        }

        public ApiRoute handle(Handler handler) {
            return new ApiRoute(method, path, summary, tag, parameters, requestBody, requestContentType,
                    responseBody, responseContentType, successStatus, access, handler);
        }
    }
}

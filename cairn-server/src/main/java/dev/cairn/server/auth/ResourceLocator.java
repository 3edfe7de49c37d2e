package dev.cairn.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to find, in a request, the resources a route acts on: a path parameter, a query parameter, a field of the
 * JSON body, or the experiment of a run named by one of those. An empty answer means the request names no
 * resource that exists (a run id that is unknown, a missing field): the caller is then judged by the default
 * permission alone, so that guessing ids tells nothing (see {@link Authorizer}).
 */
@FunctionalInterface
public interface ResourceLocator {

    List<String> locate(Context ctx, ResourceLookup lookup);

    static ResourceLocator path(String name) {
        return (ctx, lookup) -> nonBlank(ctx.pathParamMap().get(name));
    }

    static ResourceLocator query(String name) {
        return (ctx, lookup) -> nonBlank(ctx.queryParam(name));
    }

    /**
     * A request field as MLflow's RPCs carry it: a query parameter of a GET, else a field of the JSON body (a
     * string, a number, or an array of them), else a query parameter (a DELETE or PATCH without a body).
     */
    static ResourceLocator field(String name) {
        return (ctx, lookup) -> {
            if (ctx.method() == HandlerType.GET) return multi(ctx.queryParams(name));
            List<String> fromBody = bodyField(ctx, name);
            return fromBody.isEmpty() ? multi(ctx.queryParams(name)) : fromBody;
        };
    }

    /** The experiment of the run that {@code run} names. */
    static ResourceLocator experimentOfRun(ResourceLocator run) {
        return (ctx, lookup) -> {
            List<String> out = new ArrayList<>();
            for (String id : run.locate(ctx, lookup)) {
                Optional<String> experiment = lookup.experimentOfRun(id);
                if (experiment.isEmpty()) return List.of();
                out.add(experiment.get());
            }
            return out;
        };
    }

    /** The id of the experiment that {@code name} names. */
    static ResourceLocator experimentNamed(ResourceLocator name) {
        return (ctx, lookup) -> {
            List<String> out = new ArrayList<>();
            for (String n : name.locate(ctx, lookup)) {
                Optional<String> id = lookup.experimentIdByName(n);
                if (id.isEmpty()) return List.of();
                out.add(id.get());
            }
            return out;
        };
    }

    /** The registered model of a {@code models:/name/version} or {@code models:/name@alias} URI; nothing for other URIs. */
    static ResourceLocator modelOfUri(ResourceLocator uri) {
        return (ctx, lookup) -> {
            List<String> out = new ArrayList<>();
            for (String u : uri.locate(ctx, lookup)) {
                if (!u.startsWith("models:/")) return List.of();
                String rest = u.substring("models:/".length());
                int end = rest.length();
                for (char c : new char[] {'/', '@'}) {
                    int at = rest.indexOf(c);
                    if (at >= 0) end = Math.min(end, at);
                }
                if (end == 0) return List.of();
                out.add(rest.substring(0, end));
            }
            return out;
        };
    }

    /** The run of a {@code runs:/<run-id>/path} URI; nothing for other URIs. */
    static ResourceLocator runOfUri(ResourceLocator uri) {
        return (ctx, lookup) -> {
            List<String> out = new ArrayList<>();
            for (String u : uri.locate(ctx, lookup)) {
                if (!u.startsWith("runs:/")) return List.of();
                String rest = u.substring("runs:/".length()).replaceFirst("^/+", "");
                int slash = rest.indexOf('/');
                String run = slash < 0 ? rest : rest.substring(0, slash);
                if (run.isEmpty()) return List.of();
                out.add(run);
            }
            return out;
        };
    }

    /** The pipeline of the pipeline run that {@code run} names. */
    static ResourceLocator pipelineOfRun(ResourceLocator run) {
        return (ctx, lookup) -> {
            List<String> out = new ArrayList<>();
            for (String id : run.locate(ctx, lookup)) {
                Optional<String> pipeline = lookup.pipelineOfRun(id);
                if (pipeline.isEmpty()) return List.of();
                out.add(pipeline.get());
            }
            return out;
        };
    }

    /** The first of several locators that finds something (a run's experiment from either field an RPC accepts). */
    static ResourceLocator firstOf(ResourceLocator... locators) {
        return (ctx, lookup) -> {
            for (ResourceLocator locator : locators) {
                List<String> found = locator.locate(ctx, lookup);
                if (!found.isEmpty()) return found;
            }
            return List.of();
        };
    }

    private static List<String> bodyField(Context ctx, String name) {
        JsonNode body = BufferedBody.json(ctx);
        if (body == null || !body.isObject()) return List.of();
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) return List.of();
        if (value.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.asText().isBlank()) return List.of();
                out.add(item.asText());
            }
            return out;
        }
        return value.isValueNode() ? nonBlank(value.asText()) : List.of();
    }

    private static List<String> nonBlank(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value);
    }

    private static List<String> multi(List<String> values) {
        return values.stream().anyMatch(String::isBlank) ? List.of() : List.copyOf(values);
    }
}

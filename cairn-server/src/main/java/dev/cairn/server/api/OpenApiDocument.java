package dev.cairn.server.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the OpenAPI 3.1 document of Cairn's API from the route tables of its documented groups
 * ({@link DocumentedRoutes}): every path and method, its parameters, request and response schemas
 * (derived from the very records the handlers read and write, in snake_case as on the wire) and the
 * shared error body.
 */
public final class OpenApiDocument {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final Map<String, Object> schemas = new TreeMap<>();
    /** Which record each component schema describes: two records of one simple name must not share a schema. */
    private final Map<String, Class<?>> schemaClasses = new HashMap<>();

    private OpenApiDocument() {}

    public static Map<String, Object> build(List<ApiRoute> routes, String version) {
        return new OpenApiDocument().document(routes, version);
    }

    private Map<String, Object> document(List<ApiRoute> routes, String version) {
        Map<String, Object> paths = new TreeMap<>();
        for (ApiRoute route : routes) {
            if (!route.path().startsWith(CairnApi.PREFIX + "/")) {
                throw new IllegalArgumentException("Documented route " + route.method() + " " + route.path()
                        + " is not under " + CairnApi.PREFIX);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.openApiPath(), p -> new LinkedHashMap<>());
            String method = route.method().name().toLowerCase(Locale.ROOT);
            if (item.putIfAbsent(method, operation(route)) != null) {
                throw new IllegalArgumentException("Two route groups document " + route.method() + " " + route.path());
            }
        }
        schemas.put("Error", errorSchema());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Cairn API", "version", version,
                "description", "Tracking, model registry, audit, evaluations and deployments. Errors always have the body {error_code, message, details}."));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas));
        return doc;
    }

    private Map<String, Object> operation(ApiRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", route.summary());
        op.put("operationId", operationId(route));
        op.put("tags", List.of(route.tag()));
        List<Object> parameters = new ArrayList<>();
        for (String name : route.pathParameterNames()) {
            parameters.add(parameter(name, "path", "string", true, null));
        }
        for (ApiParameter p : route.parameters()) {
            parameters.add(parameter(p.name(), p.in().openApiName(), p.type(), p.required(), p.description()));
        }
        if (!parameters.isEmpty()) op.put("parameters", parameters);
        if (route.requestBody() != null) {
            op.put("requestBody", Map.of("required", true,
                    "content", Map.of(route.requestContentType(), Map.of("schema", schema(route.requestBody())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> success = new LinkedHashMap<>();
        success.put("description", route.successStatus() == 204 ? "Done" : "Success");
        if (route.responseBody() != null) {
            success.put("content", Map.of(route.responseContentType(), Map.of("schema", schema(route.responseBody()))));
        }
        responses.put(Integer.toString(route.successStatus()), success);
        Map<String, Object> error = Map.of("description", "Error: 400 bad input, 404 not found, 500 internal",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        responses.put("default", error);
        op.put("responses", responses);
        return op;
    }

    private static Map<String, Object> parameter(String name, String in, String type, boolean required, String description) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("in", in);
        p.put("required", required);
        if (description != null) p.put("description", description);
        p.put("schema", Map.of("type", type));
        return p;
    }

    /** e.g. {@code GET /api/v1/runs/{run_id}/metrics/history} → {@code getRunsByRunIdMetricsHistory}. */
    private static String operationId(ApiRoute route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String segment : route.openApiPath().substring(CairnApi.PREFIX.length()).split("/")) {
            boolean placeholder = segment.startsWith("{") && segment.endsWith("}");
            if (placeholder) {
                id.append("By");
                segment = segment.substring(1, segment.length() - 1);
            }
            for (String word : segment.split("[\\-._]")) id.append(capitalize(word));
        }
        return id.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The JSON schema of a Java type as Jackson writes it; records become named component schemas. */
    Map<String, Object> schema(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) return Map.of("type", "array", "items", schema(args[0]));
            if (Map.class.isAssignableFrom(raw)) return Map.of("type", "object", "additionalProperties", schema(args[1]));
            return schema(raw);
        }
        if (type instanceof GenericArrayType array) {
            return Map.of("type", "array", "items", schema(array.getGenericComponentType()));
        }
        if (!(type instanceof Class<?> cls)) return Map.of();
        if (cls == byte[].class) return Map.of("type", "string", "format", "binary");
        if (cls == String.class) return Map.of("type", "string");
        if (cls == boolean.class || cls == Boolean.class) return Map.of("type", "boolean");
        if (cls == int.class || cls == Integer.class || cls == short.class || cls == Short.class) {
            return Map.of("type", "integer", "format", "int32");
        }
        if (cls == long.class || cls == Long.class) return Map.of("type", "integer", "format", "int64");
        if (cls == double.class || cls == Double.class || cls == float.class || cls == Float.class
                || Number.class.isAssignableFrom(cls)) {
            return Map.of("type", "number");
        }
        if (cls.isEnum()) {
            return Map.of("type", "string", "enum", Arrays.stream(cls.getEnumConstants()).map(String::valueOf).toList());
        }
        if (cls.isArray()) return Map.of("type", "array", "items", schema(cls.getComponentType()));
        if (Collection.class.isAssignableFrom(cls)) return Map.of("type", "array");
        if (Map.class.isAssignableFrom(cls)) return Map.of("type", "object");
        if (cls.isRecord()) {
            String name = cls.getSimpleName();
            Class<?> described = schemaClasses.putIfAbsent(name, cls);
            if (described != null && described != cls) {
                throw new IllegalArgumentException("Records " + described.getName() + " and " + cls.getName()
                        + " would share the schema name " + name);
            }
            if (!schemas.containsKey(name)) {
                schemas.put(name, Map.of()); // placeholder: a record that contains itself refers to its own name
                Map<String, Object> properties = new LinkedHashMap<>();
                for (RecordComponent component : cls.getRecordComponents()) {
                    properties.put(SNAKE.translate(component.getName()), schema(component.getGenericType()));
                }
                schemas.put(name, Map.of("type", "object", "properties", properties));
            }
            return Map.of("$ref", "#/components/schemas/" + name);
        }
        return Map.of("type", "object");
    }

    private static Map<String, Object> errorSchema() {
        return Map.of("type", "object", "required", List.of("error_code", "message", "details"),
                "properties", Map.of(
                        "error_code", Map.of("type", "string", "description", "e.g. RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE"),
                        "message", Map.of("type", "string", "description", "Names the field, the value and what was expected"),
                        "details", Map.of("type", "object", "description", "Machine-readable context, e.g. field, value, expected")));
    }
}

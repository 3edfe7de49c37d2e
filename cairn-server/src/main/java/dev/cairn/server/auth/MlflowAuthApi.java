package dev.cairn.server.auth;

import static dev.cairn.server.auth.ResourceLocator.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.ApiRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * MLflow's auth REST endpoints ({@code mlflow server --app-name basic-auth}), on Cairn's accounts and grants, so
 * that MLflow's {@code AuthServiceClient} and scripts written for it work unchanged: users create, get,
 * update-password, update-admin and delete; experiment and registered-model permissions create, get, update and
 * delete. Paths, methods, field names and response shapes are MLflow's; as there, a request's fields come from the
 * query string of a GET and the JSON body otherwise (a DELETE may use either). Access is MLflow's too: accounts are
 * an admin's, except that users may read themselves and change their own password; a resource's permissions are
 * its managers'. A grant made here is a user grant, the same one {@code /api/v1/auth} shows.
 *
 * <p>MLflow's users carry an integer id; Cairn's accounts are keyed by name, so {@code id} and {@code user_id} are a
 * number derived from the name (stable, but not a key to look anything up by).
 */
public final class MlflowAuthApi implements ApiRoutes {

    static final List<String> PREFIXES = List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow");
    private static final String MISSING = "Missing value for required parameter '%s'. See the API docs for more information "
            + "about request parameters.";
    private static final List<Permission> MLFLOW_PERMISSIONS = List.of(Permission.READ, Permission.EDIT, Permission.MANAGE,
            Permission.NO_PERMISSIONS);

    private record Rpc(HandlerType method, String path, Access access, BiFunction<Context, Fields, ObjectNode> handler) {}

    private final AuthAdmin admin;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Rpc> rpcs;

    public MlflowAuthApi(AuthAdmin admin) {
        this.admin = admin;
        Access experiment = Access.experiment(field("experiment_id"), Permission.MANAGE);
        Access model = Access.model(field("name"), Permission.MANAGE);
        this.rpcs = List.of(
                new Rpc(HandlerType.POST, "/users/create", Access.admin(), this::createUser),
                new Rpc(HandlerType.GET, "/users/get", Access.authenticated(), this::getUser),
                new Rpc(HandlerType.PATCH, "/users/update-password", Access.authenticated(), this::updatePassword),
                new Rpc(HandlerType.PATCH, "/users/update-admin", Access.admin(), this::updateAdmin),
                new Rpc(HandlerType.DELETE, "/users/delete", Access.admin(), this::deleteUser),
                new Rpc(HandlerType.POST, "/experiments/permissions/create", experiment, (c, f) -> create(c, f, ResourceKind.EXPERIMENT)),
                new Rpc(HandlerType.GET, "/experiments/permissions/get", experiment, (c, f) -> get(c, f, ResourceKind.EXPERIMENT)),
                new Rpc(HandlerType.PATCH, "/experiments/permissions/update", experiment, (c, f) -> update(c, f, ResourceKind.EXPERIMENT)),
                new Rpc(HandlerType.DELETE, "/experiments/permissions/delete", experiment, (c, f) -> delete(c, f, ResourceKind.EXPERIMENT)),
                new Rpc(HandlerType.POST, "/registered-models/permissions/create", model, (c, f) -> create(c, f, ResourceKind.REGISTERED_MODEL)),
                new Rpc(HandlerType.GET, "/registered-models/permissions/get", model, (c, f) -> get(c, f, ResourceKind.REGISTERED_MODEL)),
                new Rpc(HandlerType.PATCH, "/registered-models/permissions/update", model,
                        (c, f) -> update(c, f, ResourceKind.REGISTERED_MODEL)),
                new Rpc(HandlerType.DELETE, "/registered-models/permissions/delete", model,
                        (c, f) -> delete(c, f, ResourceKind.REGISTERED_MODEL)));
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : PREFIXES) {
            for (Rpc rpc : rpcs) {
                config.routes.addHttpHandler(rpc.method(), prefix + rpc.path(), ctx -> {
                    ObjectNode response = rpc.handler().apply(ctx, Fields.of(ctx));
                    ctx.status(200).contentType("application/json").result(mapper.writeValueAsBytes(response));
                });
            }
        }
    }

    @Override
    public List<RouteAccess> access() {
        List<RouteAccess> out = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (Rpc rpc : rpcs) out.add(new RouteAccess(rpc.method(), prefix + rpc.path(), rpc.access()));
        }
        return out;
    }

    // ---- users

    private ObjectNode createUser(Context ctx, Fields fields) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Invalid content type. Must be application/json");
        }
        String username = AuthAdmin.checkName("username", fields.required("username"));
        Account account = admin.createUser(ctx, username, fields.required("password"), false);
        return wrap("user", user(account));
    }

    private ObjectNode getUser(Context ctx, Fields fields) {
        String username = fields.required("username");
        if (!AuthAdmin.mayActFor(ctx, username)) throw denied();
        return wrap("user", user(admin.account(username)));
    }

    private ObjectNode updatePassword(Context ctx, Fields fields) {
        String username = fields.required("username");
        String password = fields.required("password");
        if (!AuthAdmin.mayActFor(ctx, username) || AuthAdmin.callerScope(ctx) != Permission.MANAGE) throw denied();
        admin.setPassword(ctx, username, password);
        return empty();
    }

    private ObjectNode updateAdmin(Context ctx, Fields fields) {
        String username = fields.required("username");
        String value = fields.required("is_admin").toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid parameter 'is_admin': '" + value
                    + "', must be either 'true' or 'false' (case insensitive).", Map.of("field", "is_admin"));
        }
        admin.setAdmin(ctx, username, value.equals("true"));
        return empty();
    }

    private ObjectNode deleteUser(Context ctx, Fields fields) {
        admin.deleteAccount(ctx, fields.required("username"));
        return empty();
    }

    private ObjectNode user(Account account) {
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        int id = userId(account.name());
        user.put("id", id);
        user.put("username", account.name());
        user.put("is_admin", account.admin());
        ArrayNode experiments = user.putArray("experiment_permissions");
        ArrayNode models = user.putArray("registered_model_permissions");
        Grantee grantee = Grantee.user(account.name());
        for (Grant grant : admin.store().grantsTo(ResourceKind.EXPERIMENT, List.of(grantee))) experiments.add(permission(grant));
        for (Grant grant : admin.store().grantsTo(ResourceKind.REGISTERED_MODEL, List.of(grantee))) models.add(permission(grant));
        return user;
    }

    /** A stable positive number for an account name, standing in for MLflow's user id. */
    static int userId(String name) {
        return Integer.parseInt(ApiTokens.sha256(name).substring(0, 7), 16) + 1;
    }

    // ---- permissions

    private ObjectNode create(Context ctx, Fields fields, ResourceKind kind) {
        String resource = fields.required(resourceField(kind));
        Grantee grantee = existingUser(fields.required("username"));
        Grant grant = admin.createGrant(kind, resource, grantee, mlflowPermission(fields.required("permission")));
        return wrap(responseField(kind), permission(grant));
    }

    private ObjectNode get(Context ctx, Fields fields, ResourceKind kind) {
        String resource = fields.required(resourceField(kind));
        Grantee grantee = existingUser(fields.required("username"));
        return wrap(responseField(kind), permission(admin.requireGrant(kind, resource, grantee)));
    }

    private ObjectNode update(Context ctx, Fields fields, ResourceKind kind) {
        String resource = fields.required(resourceField(kind));
        Grantee grantee = existingUser(fields.required("username"));
        admin.updateGrant(kind, resource, grantee, mlflowPermission(fields.required("permission")));
        return empty();
    }

    private ObjectNode delete(Context ctx, Fields fields, ResourceKind kind) {
        String resource = fields.required(resourceField(kind));
        Grantee grantee = existingUser(fields.required("username"));
        admin.deleteGrant(kind, resource, grantee);
        return empty();
    }

    private Grantee existingUser(String username) {
        return Grantee.user(admin.account(username).name());
    }

    private static String resourceField(ResourceKind kind) {
        return kind == ResourceKind.EXPERIMENT ? "experiment_id" : "name";
    }

    private static String responseField(ResourceKind kind) {
        return kind == ResourceKind.EXPERIMENT ? "experiment_permission" : "registered_model_permission";
    }

    private static ObjectNode permission(Grant grant) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(resourceField(grant.kind()), grant.resource());
        out.put("user_id", userId(grant.grantee().name()));
        out.put("permission", grant.permission().name());
        return out;
    }

    /** MLflow's four permissions; Cairn's INVOKE is for deployments, which MLflow does not have. */
    private static Permission mlflowPermission(String value) {
        for (Permission p : MLFLOW_PERMISSIONS) {
            if (p.name().equals(value)) return p;
        }
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid permission '" + value + "'. Valid permissions are: "
                + "('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')", Map.of("field", "permission"));
    }

    private static ObjectNode wrap(String name, ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(name, value);
        return out;
    }

    private static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static CairnException denied() {
        return new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied");
    }

    /** A request's fields, read as MLflow's auth app reads them. */
    record Fields(JsonNode values) {

        static Fields of(Context ctx) {
            HandlerType method = ctx.method();
            if (method != HandlerType.GET) {
                JsonNode body = BufferedBody.json(ctx);
                if (body != null && body.isObject()) return new Fields(body);
                byte[] raw = BufferedBody.bytes(ctx);
                boolean blank = raw == null || StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw)).toString().isBlank();
                if (!blank) throw new CairnException(ErrorCode.MALFORMED_REQUEST, "The request body is not a JSON object");
                if (method != HandlerType.DELETE && method != HandlerType.PATCH) return new Fields(JsonNodeFactory.instance.objectNode());
            }
            ObjectNode query = JsonNodeFactory.instance.objectNode();
            ctx.queryParamMap().forEach((k, v) -> {
                if (!v.isEmpty()) query.put(k, v.get(0));
            });
            return new Fields(query);
        }

        /** A required field as text (numbers and booleans as MLflow's clients may send them); MLflow's error when missing. */
        String required(String name) {
            JsonNode value = values.get(name);
            if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, String.format(MISSING, name), Map.of("field", name));
            }
            return value.asText();
        }
    }
}

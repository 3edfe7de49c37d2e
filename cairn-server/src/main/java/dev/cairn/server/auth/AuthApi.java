package dev.cairn.server.auth;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.Actors;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.api.Params;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The admin API under {@code /api/v1/auth}: users and service accounts, API tokens, groups and their members, and
 * the grants on each experiment, registered model, deployment and pipeline. Accounts and groups are an admin's;
 * a resource's grants are also its managers' (MANAGE on it), as in MLflow's auth app; everyone may see who they
 * are, change their own password and keep their own tokens. A new token's secret is in the creating response only.
 */
public final class AuthApi implements DocumentedRoutes {

    static final String BASE = CairnApi.PREFIX + "/auth";

    public record CreateUser(String name, String password, Boolean admin) {}

    public record CreateServiceAccount(String name, Boolean admin) {}

    public record SetPassword(String password) {}

    public record SetAdmin(Boolean admin) {}

    public record UserView(String name, Account.Kind kind, boolean admin, boolean hasPassword, Instant createdAt, List<String> groups) {}

    public record UserList(List<UserView> users) {}

    public record Me(String name, String kind, boolean admin, Permission scope, List<String> groups, boolean authentication) {}

    public record CreateToken(String account, String description, String scope, Integer expiresInDays) {}

    /** The one response that carries a token's secret. */
    public record NewToken(String token, String id, String account, String description, Permission scope, Instant createdAt,
                           Instant expiresAt) {
        @Override
        public String toString() {
            return "NewToken[id=" + id + ", token=(not shown)]";
        }
    }

    public record TokenList(List<ApiToken> tokens) {}

    public record CreateGroup(String name) {}

    public record GroupView(String name, List<String> members) {}

    public record GroupList(List<GroupView> groups) {}

    /** A grant to create: exactly one of {@code user} and {@code group}. */
    public record CreateGrant(String user, String group, String permission) {}

    public record SetGrant(String permission) {}

    public record GrantView(ResourceKind resourceKind, String resource, Grantee.Kind granteeKind, String grantee, Permission permission) {
        static GrantView of(Grant grant) {
            return new GrantView(grant.kind(), grant.resource(), grant.grantee().kind(), grant.grantee().name(), grant.permission());
        }
    }

    public record GrantList(List<GrantView> grants) {}

    private final AuthAdmin admin;
    private final ObjectMapper mapper;
    private final List<ApiRoute> routes;

    public AuthApi(AuthAdmin admin) {
        this(admin, JsonMappers.tracking());
    }

    public AuthApi(AuthAdmin admin, ObjectMapper mapper) {
        this.admin = admin;
        this.mapper = mapper;
        this.routes = buildRoutes();
    }

    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private List<ApiRoute> buildRoutes() {
        List<ApiRoute> all = new ArrayList<>();
        String users = BASE + "/users";
        String user = users + "/{name}";
        all.add(ApiRoute.get(BASE + "/me", "Who the caller is: name, groups, admin, the scope of the credentials used").tag("auth")
                .returns(Me.class).access(Access.authenticated()).handle(this::me));
        all.add(ApiRoute.put(BASE + "/me/password", "Change the caller's own password").tag("auth")
                .body(SetPassword.class).status(204).access(Access.authenticated()).handle(this::setOwnPassword));
        all.add(ApiRoute.post(users, "Create a user with a password").tag("auth")
                .body(CreateUser.class).returns(UserView.class).status(201).access(Access.admin()).handle(this::createUser));
        all.add(ApiRoute.post(BASE + "/service-accounts", "Create a service account (API tokens only, no password)").tag("auth")
                .body(CreateServiceAccount.class).returns(UserView.class).status(201).access(Access.admin()).handle(this::createServiceAccount));
        all.add(ApiRoute.get(users, "List users and service accounts").tag("auth")
                .returns(UserList.class).access(Access.admin()).handle(this::listUsers));
        all.add(ApiRoute.get(user, "Get a user or service account with its groups").tag("auth")
                .returns(UserView.class).access(Access.admin()).handle(this::getUser));
        all.add(ApiRoute.put(user + "/password", "Set a user's password").tag("auth")
                .body(SetPassword.class).status(204).access(Access.admin()).handle(this::setPassword));
        all.add(ApiRoute.put(user + "/admin", "Make an account an admin, or not").tag("auth")
                .body(SetAdmin.class).returns(UserView.class).access(Access.admin()).handle(this::setAdmin));
        all.add(ApiRoute.delete(user, "Delete an account with its tokens, memberships and grants").tag("auth")
                .status(204).access(Access.admin()).handle(this::deleteUser));
        // Tokens: one's own, or anyone's for an admin (checked in the handler, which knows whose they are).
        all.add(ApiRoute.post(BASE + "/tokens", "Create an API token (the response shows it once)").tag("auth")
                .body(CreateToken.class).returns(NewToken.class).status(201).access(Access.authenticated()).handle(this::createToken));
        all.add(ApiRoute.get(BASE + "/tokens", "List API tokens (never their secrets): the caller's, or an account's for an admin")
                .tag("auth").query("account", "string", "Whose tokens (default: the caller's)")
                .returns(TokenList.class).access(Access.authenticated()).handle(this::listTokens));
        all.add(ApiRoute.delete(BASE + "/tokens/{token_id}", "Revoke an API token, effective with the next request").tag("auth")
                .returns(ApiToken.class).access(Access.authenticated()).handle(this::revokeToken));
        // Groups
        String groups = BASE + "/groups";
        String group = groups + "/{name}";
        all.add(ApiRoute.post(groups, "Create a group").tag("auth")
                .body(CreateGroup.class).returns(GroupView.class).status(201).access(Access.admin()).handle(this::createGroup));
        all.add(ApiRoute.get(groups, "List groups with their members").tag("auth")
                .returns(GroupList.class).access(Access.admin()).handle(this::listGroups));
        all.add(ApiRoute.get(group, "Get a group with its members").tag("auth")
                .returns(GroupView.class).access(Access.admin()).handle(this::getGroup));
        all.add(ApiRoute.delete(group, "Delete a group with its memberships and grants").tag("auth")
                .status(204).access(Access.admin()).handle(this::deleteGroup));
        all.add(ApiRoute.put(group + "/members/{member}", "Add an account to a group").tag("auth")
                .returns(GroupView.class).access(Access.admin()).handle(this::addMember));
        all.add(ApiRoute.delete(group + "/members/{member}", "Remove an account from a group").tag("auth")
                .returns(GroupView.class).access(Access.admin()).handle(this::removeMember));
        // Grants, per kind of resource: an admin's, or the resource's managers'.
        grantRoutes(all, ResourceKind.EXPERIMENT, "experiments", "experiment_id");
        grantRoutes(all, ResourceKind.REGISTERED_MODEL, "registered-models", "name");
        grantRoutes(all, ResourceKind.DEPLOYMENT, "deployments", "name");
        grantRoutes(all, ResourceKind.PIPELINE, "pipelines", "name");
        grantRoutes(all, ResourceKind.FEATURE, "features", "name");
        return List.copyOf(all);
    }

    private void grantRoutes(List<ApiRoute> all, ResourceKind kind, String segment, String parameter) {
        String base = BASE + "/" + segment + "/{" + parameter + "}/grants";
        String one = base + "/{grantee_kind}/{grantee}";
        Access manage = new Access.OnResource(kind, path(parameter), Permission.MANAGE);
        String what = kind.wireName().replace('_', ' ');
        all.add(ApiRoute.get(base, "List the grants on a " + what).tag("auth")
                .returns(GrantList.class).access(manage).handle(ctx -> listGrants(ctx, kind, parameter)));
        all.add(ApiRoute.post(base, "Grant a user or a group a permission on a " + what + " (400 if it has one already)").tag("auth")
                .body(CreateGrant.class).returns(GrantView.class).status(201).access(manage).handle(ctx -> createGrant(ctx, kind, parameter)));
        all.add(ApiRoute.get(one, "Get the grant to a user or group (grantee_kind: users or groups) on a " + what).tag("auth")
                .returns(GrantView.class).access(manage).handle(ctx -> getGrant(ctx, kind, parameter)));
        all.add(ApiRoute.put(one, "Set (create or replace) the grant to a user or group on a " + what).tag("auth")
                .body(SetGrant.class).returns(GrantView.class).access(manage).handle(ctx -> setGrant(ctx, kind, parameter)));
        all.add(ApiRoute.patch(one, "Change an existing grant to a user or group on a " + what + " (404 if there is none)").tag("auth")
                .body(SetGrant.class).returns(GrantView.class).access(manage).handle(ctx -> updateGrant(ctx, kind, parameter)));
        all.add(ApiRoute.delete(one, "Remove the grant to a user or group on a " + what).tag("auth")
                .status(204).access(manage).handle(ctx -> deleteGrant(ctx, kind, parameter)));
    }

    // ---- who am I

    private void me(Context ctx) {
        var caller = AuthAdmin.caller(ctx);
        if (caller.isEmpty()) {
            ctx.json(new Me(Actors.from(ctx), "user", true, Permission.MANAGE, List.of(), false));
            return;
        }
        Principal p = caller.get();
        String kind = p instanceof Principal.ServiceAccount ? "service_account" : "user";
        ctx.json(new Me(p.name(), kind, p.admin(), p.scope(), p.groups().stream().sorted().toList(), true));
    }

    private void setOwnPassword(Context ctx) {
        SetPassword body = RequestBodies.read(ctx, mapper, SetPassword.class);
        var caller = AuthAdmin.caller(ctx);
        if (caller.isEmpty()) {
            throw CairnException.invalid("password", "(not shown)", "a server with authentication on (--auth): without it nobody logs in");
        }
        if (caller.get().scope() != Permission.MANAGE) {
            throw new CairnException(dev.cairn.core.error.ErrorCode.PERMISSION_DENIED,
                    "Permission denied: a password is changed with full-scope credentials (a password, or a MANAGE token)");
        }
        admin.setPassword(ctx, caller.get().name(), body.password());
        ctx.status(204);
    }

    // ---- users

    private void createUser(Context ctx) {
        CreateUser body = RequestBodies.read(ctx, mapper, CreateUser.class);
        Account account = admin.createUser(ctx, Params.required("name", body.name()), body.password(), Boolean.TRUE.equals(body.admin()));
        ctx.status(201).json(view(account));
    }

    private void createServiceAccount(Context ctx) {
        CreateServiceAccount body = RequestBodies.read(ctx, mapper, CreateServiceAccount.class);
        Account account = admin.createServiceAccount(ctx, Params.required("name", body.name()), Boolean.TRUE.equals(body.admin()));
        ctx.status(201).json(view(account));
    }

    private void listUsers(Context ctx) {
        ctx.json(new UserList(admin.store().accounts().stream().map(this::view).toList()));
    }

    private void getUser(Context ctx) {
        ctx.json(view(admin.account(ctx.pathParam("name"))));
    }

    private void setPassword(Context ctx) {
        SetPassword body = RequestBodies.read(ctx, mapper, SetPassword.class);
        admin.setPassword(ctx, ctx.pathParam("name"), body.password());
        ctx.status(204);
    }

    private void setAdmin(Context ctx) {
        SetAdmin body = RequestBodies.read(ctx, mapper, SetAdmin.class);
        ctx.json(view(admin.setAdmin(ctx, ctx.pathParam("name"), Params.required("admin", body.admin()))));
    }

    private void deleteUser(Context ctx) {
        admin.deleteAccount(ctx, ctx.pathParam("name"));
        ctx.status(204);
    }

    private UserView view(Account account) {
        List<String> groups = List.copyOf(admin.store().groupsOf(account.name()));
        return new UserView(account.name(), account.kind(), account.admin(), account.hasPassword(), account.createdAt(), groups);
    }

    // ---- tokens

    private void createToken(Context ctx) {
        CreateToken body = RequestBodies.read(ctx, mapper, CreateToken.class);
        String account = whose(ctx, body.account(), "account");
        Permission scope = body.scope() == null ? null : Permission.parse("scope", body.scope());
        AuthAdmin.Created created = admin.createToken(ctx, account, body.description(), scope, body.expiresInDays(),
                AuthAdmin.callerScope(ctx));
        ApiToken info = created.info();
        ctx.status(201).json(new NewToken(created.token(), info.id(), info.account(), info.description(), info.scope(),
                info.createdAt(), info.expiresAt()));
    }

    private void listTokens(Context ctx) {
        String account = whose(ctx, Params.optional(ctx, "account"), "account");
        admin.account(account);
        ctx.json(new TokenList(admin.store().tokens(account)));
    }

    private void revokeToken(Context ctx) {
        ApiToken token = admin.token(ctx.pathParam("token_id"));
        if (!AuthAdmin.mayActFor(ctx, token.account())) throw AuthAdmin.notYours(ctx, "revoking another account's token");
        ctx.json(admin.revokeToken(ctx, token.id()));
    }

    /** The account a token request is about: the one named (the caller's own, or any for an admin), else the caller. */
    private static String whose(Context ctx, String named, String field) {
        if (named != null && !named.isBlank()) {
            if (!AuthAdmin.mayActFor(ctx, named)) throw AuthAdmin.notYours(ctx, "another account's tokens");
            return named;
        }
        return AuthAdmin.caller(ctx).map(Principal::name).orElseThrow(() -> CairnException.invalid(field, null,
                "the account whose tokens these are (without authentication there is no caller to default to)"));
    }

    // ---- groups

    private void createGroup(Context ctx) {
        CreateGroup body = RequestBodies.read(ctx, mapper, CreateGroup.class);
        String name = Params.required("name", body.name());
        admin.createGroup(ctx, name);
        ctx.status(201).json(group(name));
    }

    private void listGroups(Context ctx) {
        ctx.json(new GroupList(admin.store().groups().stream().map(this::group).toList()));
    }

    private void getGroup(Context ctx) {
        ctx.json(group(ctx.pathParam("name")));
    }

    private void deleteGroup(Context ctx) {
        admin.deleteGroup(ctx, ctx.pathParam("name"));
        ctx.status(204);
    }

    private void addMember(Context ctx) {
        String name = ctx.pathParam("name");
        admin.addMember(ctx, name, ctx.pathParam("member"));
        ctx.json(group(name));
    }

    private void removeMember(Context ctx) {
        String name = ctx.pathParam("name");
        admin.removeMember(ctx, name, ctx.pathParam("member"));
        ctx.json(group(name));
    }

    private GroupView group(String name) {
        return new GroupView(name, admin.store().members(name));
    }

    // ---- grants

    private void listGrants(Context ctx, ResourceKind kind, String parameter) {
        ctx.json(new GrantList(admin.grants(kind, ctx.pathParam(parameter)).stream().map(GrantView::of).toList()));
    }

    private void createGrant(Context ctx, ResourceKind kind, String parameter) {
        CreateGrant body = RequestBodies.read(ctx, mapper, CreateGrant.class);
        boolean user = body.user() != null && !body.user().isBlank();
        boolean group = body.group() != null && !body.group().isBlank();
        if (user == group) throw CairnException.invalid("user", body.user(), "exactly one of user and group");
        Grantee grantee = user ? Grantee.user(body.user()) : Grantee.group(body.group());
        Permission permission = Permission.parse("permission", body.permission());
        ctx.status(201).json(GrantView.of(admin.createGrant(kind, ctx.pathParam(parameter), grantee, permission)));
    }

    private void getGrant(Context ctx, ResourceKind kind, String parameter) {
        String resource = ctx.pathParam(parameter);
        admin.requireResource(kind, resource);
        ctx.json(GrantView.of(admin.requireGrant(kind, resource, grantee(ctx))));
    }

    private void setGrant(Context ctx, ResourceKind kind, String parameter) {
        Grantee grantee = grantee(ctx);
        SetGrant body = RequestBodies.read(ctx, mapper, SetGrant.class);
        ctx.json(GrantView.of(admin.putGrant(kind, ctx.pathParam(parameter), grantee, Permission.parse("permission", body.permission()))));
    }

    private void updateGrant(Context ctx, ResourceKind kind, String parameter) {
        Grantee grantee = grantee(ctx);
        SetGrant body = RequestBodies.read(ctx, mapper, SetGrant.class);
        ctx.json(GrantView.of(admin.updateGrant(kind, ctx.pathParam(parameter), grantee, Permission.parse("permission", body.permission()))));
    }

    private void deleteGrant(Context ctx, ResourceKind kind, String parameter) {
        admin.deleteGrant(kind, ctx.pathParam(parameter), grantee(ctx));
        ctx.status(204);
    }

    private static final Set<String> GRANTEE_KINDS = Set.of("users", "groups");

    private static Grantee grantee(Context ctx) {
        String kind = ctx.pathParam("grantee_kind");
        if (!GRANTEE_KINDS.contains(kind)) throw CairnException.invalid("grantee_kind", kind, "users or groups");
        String name = ctx.pathParam("grantee");
        return kind.equals("users") ? Grantee.user(name) : Grantee.group(name);
    }
}

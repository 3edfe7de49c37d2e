package dev.cairn.server.auth;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The server's access control: checks that every route it serves declared its {@link Access} (else the server does
 * not start), and, with authentication on, authenticates each request that matched a route and authorizes it
 * against that declaration before the handler runs. The principal is kept on the request for the audit log
 * ({@link dev.cairn.server.api.Actors}), for granting MANAGE to whoever creates a resource, and for filtering listings.
 */
public final class AccessControl {

    static final String PRINCIPAL = "cairn.auth.principal";
    private static final String CONTROL = "cairn.auth.control";
    public static final String PROXY_USER_HEADER = "X-Cairn-User";

    private final AuthSettings settings;
    private final AuthStore store;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Map<String, Access> table = new HashMap<>();

    private AccessControl(AuthSettings settings, AuthStore store, Authenticator authenticator, Authorizer authorizer) {
        this.settings = settings;
        this.store = store;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    /** No authentication (the embedded single-user default); declarations are still required. */
    public static AccessControl disabled() {
        return new AccessControl(AuthSettings.disabled(), null, null, null);
    }

    public static AccessControl enabled(AuthSettings settings, AuthStore store, ResourceLookup lookup, Passwords passwords,
                                        LoginLimiter limiter, Clock clock) {
        if (!settings.enabled()) return disabled();
        JwtVerifier jwt = settings.jwt() == null ? null : new JwtVerifier(settings.jwt());
        Authenticator authenticator = new Authenticator(store, passwords, limiter, clock, Duration.ofSeconds(30), jwt);
        return new AccessControl(settings, store, authenticator, new Authorizer(store, settings.defaultPermission(), lookup));
    }

    public boolean isEnabled() {
        return settings.enabled();
    }

    public AuthSettings settings() {
        return settings;
    }

    /** The authenticator, so that the admin API can empty its cache after a change. */
    public Optional<Authenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    public Optional<Authorizer> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    /** Records the declarations of every route the server will serve. */
    public void declare(Collection<RouteAccess> routes) {
        for (RouteAccess route : routes) {
            if (route.access() != null) table.put(route.key(), route.access());
        }
    }

    /** The declared access of a route, if it declared one. */
    public Optional<Access> declared(io.javalin.http.HandlerType method, String path) {
        return Optional.ofNullable(table.get(RouteAccess.key(method, path)));
    }

    /**
     * Refuses to serve routes without a declaration: every HTTP endpoint Javalin registered must be in the table.
     * Thrown before the server binds its port, naming every undeclared route.
     */
    public void verify(List<Endpoint> registered) {
        List<String> missing = new ArrayList<>();
        for (Endpoint endpoint : registered) {
            if (!endpoint.method.isHttpMethod()) continue;
            if (!table.containsKey(RouteAccess.key(endpoint.method, endpoint.path))) missing.add(endpoint.method + " " + endpoint.path);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("These routes declare no access (Access in their route table), so the server does "
                    + "not start: " + String.join(", ", missing));
        }
    }

    /** Adds the check before every matched route. */
    public void install(JavalinConfig config) {
        config.routes.beforeMatched(this::before);
    }

    private void before(Context ctx) {
        ctx.attribute(CONTROL, this);
        if (!settings.enabled()) return;
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null) return;
        Access access = table.get(RouteAccess.key(endpoint.method, endpoint.path));
        if (access == null) {
            // verify() makes this unreachable; refusing is the safe answer if it ever is reached.
            throw new dev.cairn.core.error.CairnException(dev.cairn.core.error.ErrorCode.PERMISSION_DENIED,
                    "This route declares no access");
        }
        Principal principal = principalOf(ctx);
        ctx.attribute(PRINCIPAL, principal);
        authorizer.check(access, principal, ctx);
    }

    private Principal principalOf(Context ctx) {
        String proxied = ctx.header(PROXY_USER_HEADER);
        String address = ctx.req().getRemoteAddr();
        if (proxied != null && !proxied.isBlank() && settings.trustedProxies().contains(address)) {
            return authenticator.vouched(proxied.trim());
        }
        return authenticator.authenticate(ctx.header("Authorization"), address);
    }

    /** The authenticated principal of the request, when authentication is on. */
    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /**
     * Grants MANAGE on a new resource to whoever created it, as MLflow's auth app does, so that the creator may
     * change, share and delete it even where the default permission is less. Nothing happens without authentication.
     */
    public static void created(Context ctx, ResourceKind kind, String resource) {
        AccessControl control = ctx.attribute(CONTROL);
        Optional<Principal> principal = principal(ctx);
        if (control == null || !control.settings.enabled() || principal.isEmpty()) return;
        if (principal.get() instanceof Principal.Anonymous) return;
        if (control.store.account(principal.get().name()).isEmpty()) return;
        control.store.putGrant(new Grant(kind, resource, Grantee.user(principal.get().name()), Permission.MANAGE));
    }

    /**
     * Empties the authenticator's cache of verified credentials after a change to accounts, tokens, groups or
     * admins made by this request, so that a revoked token or a removed admin stops working with the next request.
     */
    public static void changed(Context ctx) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control != null && control.authenticator != null) control.authenticator.invalidate();
    }

    /**
     * Forgets every grant on a resource deleted for good, so that a later resource of the same name (a registered
     * model or deployment created again) starts with no grants instead of inheriting the old one's. Nothing happens
     * without authentication.
     */
    public static void deleted(Context ctx, ResourceKind kind, String resource) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control == null || !control.settings.enabled() || resource == null || resource.isBlank()) return;
        control.store.deleteGrants(kind, resource);
    }

    /** Moves the grants of a renamed resource to its new name (the old name keeps none, as after a deletion). */
    public static void renamed(Context ctx, ResourceKind kind, String from, String to) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control == null || !control.settings.enabled() || from == null || to == null || from.equals(to)) return;
        control.store.renameGrants(kind, from, to);
    }

    /**
     * Checks {@code access} from a handler, for resources a route's declaration cannot locate (the models a
     * deployment's body names): 401/403 exactly as before a route. Nothing happens without authentication.
     */
    public static void check(Context ctx, Access access) {
        AccessControl control = ctx.attribute(CONTROL);
        Optional<Principal> principal = principal(ctx);
        if (control == null || !control.settings.enabled() || principal.isEmpty()) return;
        control.authorizer.check(access, principal.get(), ctx);
    }

    /** The items of a listing the caller may read; all of them without authentication. */
    public static <T> List<T> readable(Context ctx, ResourceKind kind, List<T> items, Function<T, String> resource) {
        Predicate<String> readable = readable(ctx, kind);
        return items.stream().filter(item -> readable.test(resource.apply(item))).toList();
    }

    /** Which resources of a kind the caller may read (for answers that mix kinds, as lineage does); all without authentication. */
    public static Predicate<String> readable(Context ctx, ResourceKind kind) {
        AccessControl control = ctx.attribute(CONTROL);
        Optional<Principal> principal = principal(ctx);
        if (control == null || !control.settings.enabled() || principal.isEmpty()) return resource -> true;
        return control.authorizer.visible(principal.get(), kind)::canRead;
    }
}

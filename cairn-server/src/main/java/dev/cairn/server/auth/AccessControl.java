package dev.cairn.server.auth;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>A request is authenticated by a trusted proxy's {@code X-Cairn-User}, else by its {@code Authorization} header,
 * else, on the web UI's routes only ({@code /} and {@code /ui/...}), by its web UI session cookie ({@link Sessions}).
 * The cookie never authenticates the APIs (Cairn's, MLflow's, artifacts, inference): a browser sends cookies with
 * requests other sites make it send, and the APIs take no CSRF token. A browser asking for a UI page without being
 * logged in is sent to the login form ({@value #LOGIN_PAGE}) instead of getting a 401.
 */
public final class AccessControl {

    static final String PRINCIPAL = "cairn.auth.principal";
    private static final String CONTROL = "cairn.auth.control";
    /** Set on a request authenticated by its web UI session cookie. */
    private static final String BY_SESSION = "cairn.auth.session";
    /** The web UI's login form. */
    public static final String LOGIN_PAGE = "/ui/login";
    public static final String PROXY_USER_HEADER = "X-Cairn-User";

    private final AuthSettings settings;
    private final AuthStore store;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Sessions sessions;
    private final Map<String, Access> table = new HashMap<>();

    private AccessControl(AuthSettings settings, AuthStore store, Authenticator authenticator, Authorizer authorizer, Sessions sessions) {
        this.settings = settings;
        this.store = store;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.sessions = sessions;
    }

    /** No authentication (the embedded single-user default); declarations are still required. */
    public static AccessControl disabled() {
        return disabled(null);
    }

    /**
     * No authentication, but the grants in {@code store} are kept in step with deletions and renames made meanwhile,
     * so that a server started later with {@code --auth} does not hand a deleted resource's grants to a new one of the
     * same name.
     */
    public static AccessControl disabled(AuthStore store) {
        return new AccessControl(AuthSettings.disabled(), store, null, null, null);
    }

    public static AccessControl enabled(AuthSettings settings, AuthStore store, ResourceLookup lookup, Passwords passwords,
                                        LoginLimiter limiter, Clock clock) {
        if (!settings.enabled()) return disabled();
        JwtVerifier jwt = settings.jwt() == null ? null : new JwtVerifier(settings.jwt());
        Authenticator authenticator = new Authenticator(store, passwords, limiter, clock, Duration.ofSeconds(30), jwt);
        return new AccessControl(settings, store, authenticator, new Authorizer(store, settings.defaultPermission(), lookup),
                new Sessions(store, settings.sessions(), clock));
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
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "This route declares no access");
        }
        Principal principal = principalOf(ctx, endpoint, access);
        ctx.attribute(PRINCIPAL, principal);
        if (principal instanceof Principal.Anonymous && !(access instanceof Access.Public) && wantsPage(ctx, endpoint)) {
            // A person opening a page (a link, a bookmark, an ended session): the login form, then back here.
            String query = ctx.queryString();
            String next = ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
            if (ctx.cookie(Sessions.COOKIE) != null) ctx.res().addHeader("Set-Cookie", Sessions.clearing(secure(ctx)));
            ctx.redirect(LOGIN_PAGE + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        authorizer.check(access, principal, ctx);
    }

    private Principal principalOf(Context ctx, Endpoint endpoint, Access access) {
        String proxied = ctx.header(PROXY_USER_HEADER);
        String address = ctx.req().getRemoteAddr();
        if (proxied != null && !proxied.isBlank() && settings.trustedProxies().contains(address)) {
            return authenticator.vouched(proxied.trim());
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) return authenticator.authenticate(authorization, address);
        // A public route (the login form, the UI's scripts) needs nobody: no session lookup for it.
        String session = ctx.cookie(Sessions.COOKIE);
        if (session != null && isUiRoute(endpoint) && !(access instanceof Access.Public)) {
            Optional<Principal> principal = sessions.account(session).flatMap(authenticator::ofAccount);
            if (principal.isPresent()) {
                ctx.attribute(BY_SESSION, Boolean.TRUE);
                return principal.get();
            }
        }
        return new Principal.Anonymous();
    }

    /**
     * The web UI's routes, by the pattern Javalin matched (not the raw path): the only ones a session cookie
     * authenticates.
     */
    static boolean isUiRoute(Endpoint endpoint) {
        return endpoint.path.equals("/") || endpoint.path.startsWith("/ui/");
    }

    /** A browser navigating to a UI page: a GET of a UI route that accepts HTML. */
    private static boolean wantsPage(Context ctx, Endpoint endpoint) {
        String accept = ctx.header("Accept");
        return endpoint.method == HandlerType.GET && isUiRoute(endpoint) && accept != null && accept.contains("text/html");
    }

    /**
     * True when the request came over HTTPS: to this server, or to a configured trusted proxy that says so in
     * {@code X-Forwarded-Proto} (from anyone else the header is not believed). Cookies are marked Secure then.
     */
    public static boolean secure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) return true;
        AccessControl control = ctx.attribute(CONTROL);
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (control == null || forwarded == null || !control.settings.trustedProxies().contains(ctx.req().getRemoteAddr())) return false;
        return forwarded.split(",", 2)[0].trim().equalsIgnoreCase("https");
    }

    /**
     * Logs a person in from the web UI's form: checks the password as for Basic credentials (rate limit included;
     * UNAUTHENTICATED with one message whatever was wrong, REQUEST_LIMIT_EXCEEDED while blocked), ends the session
     * the browser held before, if any (a session id planted in the browser before the login is worth nothing
     * after it), and sets the cookie of a new one.
     */
    public static Principal logIn(Context ctx, String user, String password) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control == null || !control.settings.enabled()) {
            throw new CairnException(ErrorCode.INVALID_STATE, "This server runs without login: there is nothing to log in to");
        }
        Principal principal = control.authenticator.login(user, password, ctx.req().getRemoteAddr());
        control.sessions.close(ctx.cookie(Sessions.COOKIE));
        String id = control.sessions.open(principal.name());
        ctx.res().addHeader("Set-Cookie", Sessions.cookie(id, secure(ctx)));
        return principal;
    }

    /** Logs the browser out: ends its session on the server (on every server sharing the database) and clears its cookie. */
    public static void logOut(Context ctx) {
        AccessControl control = ctx.attribute(CONTROL);
        String id = ctx.cookie(Sessions.COOKIE);
        if (id == null) return;
        if (control != null && control.sessions != null) control.sessions.close(id);
        ctx.res().addHeader("Set-Cookie", Sessions.clearing(secure(ctx)));
    }

    /** True when this request's server has login on. */
    public static boolean active(Context ctx) {
        AccessControl control = ctx.attribute(CONTROL);
        return control != null && control.settings.enabled();
    }

    /** True when the request was authenticated by a web UI session (so the page offers to log out). */
    public static boolean bySession(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(BY_SESSION));
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
     * model or deployment created again) starts with no grants instead of inheriting the old one's. Also without
     * authentication, when the server's store holds grants: they outlive a server started without {@code --auth}.
     */
    public static void deleted(Context ctx, ResourceKind kind, String resource) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control == null || control.store == null || resource == null || resource.isBlank()) return;
        control.store.deleteGrants(kind, resource);
    }

    /**
     * Moves the grants of a renamed resource to its new name (the old name keeps none, as after a deletion); also
     * without authentication, as {@link #deleted}.
     */
    public static void renamed(Context ctx, ResourceKind kind, String from, String to) {
        AccessControl control = ctx.attribute(CONTROL);
        if (control == null || control.store == null || from == null || to == null || from.equals(to)) return;
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

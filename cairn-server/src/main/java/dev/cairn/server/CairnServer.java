package dev.cairn.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.api.OpenApiEndpoint;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.RouteAccess;
import dev.cairn.server.tls.HttpsConnector;
import dev.cairn.server.tls.TlsSettings;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cairn's HTTP server: the given route groups, health endpoints and one error renderer on a
 * Javalin (Jetty) server. Everything it serves comes in through the constructor, so tests start
 * as many independent servers as they like, each on port 0.
 */
public final class CairnServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final MetadataStore store;
    private final ArtifactRepository artifacts;
    private final String host;
    private final int port;
    private final List<ApiRoutes> routes;
    private final Duration drainTimeout;
    private final ObjectMapper mapper = JsonMappers.lenient();
    private final AtomicBoolean draining = new AtomicBoolean();
    private AccessControl accessControl = AccessControl.disabled();
    private Javalin app;
    private ServerPaths hiddenPaths = ServerPaths.NONE;
    private TlsSettings tls;

    /**
     * @param store     the metadata store (used by the readiness check; route groups get their own reference)
     * @param artifacts the artifact root (used by the readiness check)
     * @param host      the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port      the port to bind; 0 picks a free one, which {@link #start()} returns
     * @param routes    the route groups to serve, in registration order; when any of them is a
     *                  {@link DocumentedRoutes}, {@code GET /api/v1/openapi.json} is added after
     *                  them, describing every documented group
     */
    public CairnServer(MetadataStore store, ArtifactRepository artifacts, String host, int port, List<ApiRoutes> routes) {
        this(store, artifacts, host, port, routes, DEFAULT_DRAIN_TIMEOUT);
    }

    /** As above, with how long {@link #stop()} waits for requests in flight before closing their connections. */
    public CairnServer(MetadataStore store, ArtifactRepository artifacts, String host, int port, List<ApiRoutes> routes,
                       Duration drainTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw dev.cairn.core.error.CairnException.invalid("port", port, "a port number from 0 to 65535");
        }
        this.port = port;
        this.routes = withOpenApi(routes);
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /**
     * The groups, then the OpenAPI document of the documented ones: built from the same route tables
     * that register the handlers, so it describes exactly the /api/v1 routes this server serves.
     */
    private static List<ApiRoutes> withOpenApi(List<ApiRoutes> routes) {
        List<DocumentedRoutes> documented = routes.stream()
                .filter(DocumentedRoutes.class::isInstance).map(DocumentedRoutes.class::cast).toList();
        if (documented.isEmpty()) return List.copyOf(routes);
        List<ApiRoutes> all = new ArrayList<>(routes);
        all.add(new OpenApiEndpoint(documented));
        return List.copyOf(all);
    }

    /**
     * A server with every route group Cairn has: its own /api/v1 and the MLflow-compatible API
     * (see {@link DefaultRoutes}), plus any {@code extra} groups.
     */
    public static CairnServer withDefaultRoutes(MetadataStore store, ArtifactRepository artifacts, String host, int port,
                                                List<ApiRoutes> extra) {
        return withDefaultRoutes(store, artifacts, dev.cairn.core.access.DataAccess.none(), host, port, extra);
    }

    /** As above, the data, training and evaluation routes reading only what {@code access} allows. */
    public static CairnServer withDefaultRoutes(MetadataStore store, ArtifactRepository artifacts, dev.cairn.core.access.DataAccess access,
                                                String host, int port, List<ApiRoutes> extra) {
        List<ApiRoutes> all = new ArrayList<>(DefaultRoutes.create(store, artifacts, access));
        all.addAll(extra);
        return new CairnServer(store, artifacts, host, port, all);
    }

    /**
     * Authenticates and authorizes requests with {@code control} (set before {@link #start()}); without it the server
     * runs without login, still refusing to start while a route declares no access.
     */
    public synchronized CairnServer withAccessControl(AccessControl control) {
        if (app != null) throw new IllegalStateException("The server is already started");
        this.accessControl = Objects.requireNonNull(control, "control");
        return this;
    }

    public AccessControl accessControl() {
        return accessControl;
    }

    /** The route groups this server serves (not counting its health routes), in registration order. */
    public List<ApiRoutes> routeGroups() {
        return routes;
    }

    /** Every route this server serves with its declared access: its health routes, then each group's. */
    public List<RouteAccess> declaredRoutes() {
        List<RouteAccess> all = new ArrayList<>(new HealthRoutes(store, artifacts, draining::get).access());
        for (ApiRoutes group : routes) all.addAll(group.access());
        return List.copyOf(all);
    }

    /** Before {@link #start()}: error answers name these directories by placeholders (see {@link ServerPaths}). */
    public synchronized CairnServer hidingPaths(ServerPaths paths) {
        this.hiddenPaths = Objects.requireNonNull(paths, "paths");
        return this;
    }

    /** Before {@link #start()}: serve HTTPS only, with this certificate and key (see {@link HttpsConnector}). */
    public synchronized CairnServer withTls(TlsSettings settings) {
        if (app != null) throw new IllegalStateException("The server is already started");
        this.tls = settings;
        return this;
    }

    /** Starts serving and returns the bound port. */
    public synchronized int start() {
        if (app != null) {
            throw new IllegalStateException("The server is already started");
        }
        ErrorRenderer errors = new ErrorRenderer(mapper, hiddenPaths,
                routes.stream().filter(ErrorPages.class::isInstance).map(ErrorPages.class::cast).toList());
        HealthRoutes health = new HealthRoutes(store, artifacts, draining::get);
        accessControl.declare(health.access());
        for (ApiRoutes group : routes) accessControl.declare(group.access());
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.defaultContentType = "application/json";
            // A known path with the wrong method is 405 (as MLflow's server answers), not 404.
            config.http.prefer405over404 = true;
            // Jetty keeps a cache of header fields per connection that, by default, matches values ignoring case: a
            // request repeating an earlier Authorization header with one letter's case changed got the earlier (valid)
            // value back, so a token altered that way authenticated. Header values are case-sensitive credentials here.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            if (tls != null) {
                // Javalin adds its plain-HTTP connector only when none was added: with TLS there is no HTTP port.
                config.jetty.addConnector((server, http) -> HttpsConnector.create(server, http, tls, host, port));
            }
            config.jetty.modifyServer(server -> {
                // Without a GracefulHandler Jetty's stop closes connections with requests still in
                // flight; with it, stop waits (up to the stop timeout) for them to complete.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(drainTimeout.toMillis());
            });
            errors.register(config);
            RequestBodies.register(config);
            config.routes.before(CairnServer::refuseNulInQuery);
            accessControl.install(config);
            health.addRoutes(config);
            for (ApiRoutes group : routes) {
                group.addRoutes(config);
            }
            // After the groups registered their routes, so that every declared body is known.
            config.routes.beforeMatched(new RequestContentTypes(routes)::check);
        });
        try {
            accessControl.verify(app.unsafe.internalRouter.allHttpHandlers().stream().map(parsed -> parsed.endpoint).toList());
        } catch (IllegalStateException undeclared) {
            app = null;
            throw undeclared;
        }
        app.start(host, port);
        int bound = app.port();
        LOG.info("Cairn server listening on {}://{}:{}", tls == null ? "http" : "https", host, bound);
        return bound;
    }

    /**
     * A NUL in a query value is refused before any handler sees it: PostgreSQL cannot take one as
     * a text parameter (it answers with an encoding error), and no Cairn or MLflow value holds one.
     * (Request bodies are checked as they are read, see {@link JsonMappers}.)
     */
    private static void refuseNulInQuery(io.javalin.http.Context ctx) {
        for (var parameter : ctx.queryParamMap().entrySet()) {
            for (String value : parameter.getValue()) {
                if (value.indexOf('\0') >= 0) {
                    throw dev.cairn.core.error.CairnException.invalid(parameter.getKey(), value.replace("\0", "\\0"),
                            "a value without NUL characters");
                }
            }
        }
    }

    /** The bound port; only meaningful after {@link #start()}. */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("The server is not started");
        }
        return app.port();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:5000}. */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shown.contains(":")) shown = "[" + shown + "]";
        return (tls == null ? "http://" : "https://") + shown + ":" + port();
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to the drain timeout), then
     * stops. Readiness reports DOWN from the first moment. Safe to call twice.
     */
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        draining.set(true);
        app.stop();
        app = null;
        LOG.info("Cairn server stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The JSON configuration this server renders responses with. */
    public ObjectMapper mapper() {
        return mapper;
    }
}

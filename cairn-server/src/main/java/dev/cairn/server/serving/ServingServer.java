package dev.cairn.server.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.server.ErrorRenderer;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lean serving process behind {@code cairn serve}: only the inference endpoints, /metrics and
 * health on a bare Javalin, no metadata store on the request path. A bare Javalin rather than a
 * {@link dev.cairn.server.CairnServer} because the latter needs a metadata store and an artifact
 * repository for its readiness check, and a serving replica should start (and stay ready) from a
 * model package alone, with nothing but the prediction path between the socket and the model.
 * Errors render exactly as in the full server ({@link ErrorRenderer}).
 *
 * <p>It refuses to listen on a non-loopback address unless requests must bear a token ({@link ServingAuth}) or the
 * operator said {@code --insecure-no-auth}; health stays open to probes either way.
 *
 * <p>Readiness ({@code /health/ready}, {@code /v2/health/ready}, {@code /ping}) turns ready only
 * once every deployment's models are loaded and warmed; {@link #stop} turns it off, lets requests in
 * flight finish (Jetty's graceful stop, up to the drain timeout), then writes out the prediction log.
 */
public final class ServingServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);

    private final Serving serving;
    private final String host;
    private final int port;
    private final ServingAuth auth;
    private final ObjectMapper mapper = JsonMappers.lenient();
    private Javalin app;

    /** Without authentication, which only a loopback {@code host} allows. */
    public ServingServer(Serving serving, String host, int port) {
        this(serving, host, port, ServingAuth.none());
    }

    /** With {@code auth}: the tokens requests must bear, or none (loopback, or {@code --insecure-no-auth}). */
    public ServingServer(Serving serving, String host, int port, ServingAuth auth) {
        this.serving = serving;
        this.host = host;
        this.port = port;
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public Serving serving() {
        return serving;
    }

    /** Starts listening (live at once, ready once models are deployed and warm) and returns the port. */
    public synchronized int start() {
        if (app != null) throw new IllegalStateException("The serving server is already started");
        auth.checkBinding(host);
        if (auth.isInsecureNoAuth()) {
            LOG.warn("Serving {} WITHOUT AUTHENTICATION (--insecure-no-auth): anyone who reaches port {} may predict and change "
                    + "its deployments", host, port);
        }
        ErrorRenderer errors = new ErrorRenderer(mapper);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.defaultContentType = "application/json";
            config.http.maxRequestSize = serving.config().limits().maxRequestBytes();
            config.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(serving.config().limits().drainTimeout().toMillis());
            });
            // As in CairnServer: Jetty's per-connection header cache matched values ignoring case, so a token with one
            // letter's case changed, sent after the real one on the same connection, got the real one back.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            errors.register(config);
            RequestBodies.register(config);
            auth.install(config);
            config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.get("/health/ready", ctx -> {
                boolean ready = serving.api().isReady();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", ready ? "UP" : "DOWN");
                body.put("models_loaded", serving.deployments().isReady());
                body.put("accepting_requests", !serving.admission().isDraining());
                ctx.status(ready ? 200 : 503).json(body);
            });
            serving.api().addRoutes(config);
            serving.metricsRoutes().addRoutes(config);
        });
        app.start(host, port);
        LOG.info("Cairn serving on http://{}:{}", host, app.port());
        return app.port();
    }

    /** Deploys in the background, so the server answers liveness while the models load. */
    public CompletableFuture<Deployment> deployAsync(DeploymentSpec spec, String actor) {
        return CompletableFuture.supplyAsync(() -> serving.deployments().apply(spec, actor, "cairn serve"),
                runnable -> Thread.ofPlatform().name("cairn-deploy").daemon(true).start(runnable))
                .whenComplete((d, e) -> {
                    if (e != null) LOG.error("Deploying {} failed", spec.name(), e);
                });
    }

    public synchronized int port() {
        if (app == null) throw new IllegalStateException("The serving server is not started");
        return app.port();
    }

    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port();
    }

    /** Readiness off, requests in flight finished, the prediction log written, models unloaded. */
    public synchronized void stop() {
        if (app == null) return;
        serving.admission().startDraining();
        app.stop();
        app = null;
        serving.close();
        LOG.info("Cairn serving stopped");
    }

    @Override
    public void close() {
        stop();
    }
}

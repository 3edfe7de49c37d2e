package dev.cairn.server;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.spec.Durations;
import dev.cairn.server.auth.AuthOptions;
import dev.cairn.server.auth.JwtSettings;
import dev.cairn.server.auth.SessionSettings;
import dev.cairn.server.tls.TlsSettings;
import dev.cairn.store.CairnHome;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How to start a server: {@code --store URI --artifacts URI --host H --port P}. Defaults: the
 * SQLite file and artifact directory under {@code CAIRN_HOME}, {@code 127.0.0.1}, port 5000
 * (MLflow's, so MLflow clients find it without configuration). Pipelines: {@code --pipelines DIR} (their specs;
 * default beside the serving home), {@code --pipeline-jdbc-prefix P} (repeatable: databases their steps may open
 * besides SQLite files in that directory), {@code --allow-pipeline-commands} (user code; off by default).
 * Data: {@code --data-root DIR} (repeatable: the only directories whose files requests may name, for profiling,
 * validation, training and evaluation; none by default, so a server reads no file a request names until an
 * administrator says where data lives), {@code --connection NAME=JDBC_URL} (repeatable) and
 * {@code --connections FILE} (lines {@code NAME=JDBC_URL}): the only databases requests may read, by name.
 * Authentication: {@code --auth}, {@code --default-permission P}, {@code --trusted-proxy ADDR}, {@code --insecure-no-auth},
 * {@code --session-ttl D}, {@code --session-idle-timeout D} (see {@link AuthOptions}). HTTPS: {@code --tls-cert FILE
 * --tls-key FILE}, PEM (see {@link TlsSettings}); null {@code tls} serves plain HTTP. Features: {@code --online-store URI}
 * ({@code sqlite:/path/online.db} or {@code redis://host:port}), the online store deployments with a feature service read
 * (null: none, and such deployments are refused).
 * Several servers on one store: {@code --shared-dir DIR} (a directory every server mounts: the prediction log,
 * alert rules and deployments live there; null: the serving home, this server alone) and {@code --refresh-interval D}
 * (how often a server takes up the deployments others changed and re-resolves aliases; null: {@link
 * #DEFAULT_REFRESH_INTERVAL} with a shared directory, else serving's own alias refresh). See docs/deploy.md.
 */
public record ServerOptions(String storeUri, String artifactRoot, String host, int port, String pipelines,
                            List<String> pipelineJdbcPrefixes, boolean allowPipelineCommands, List<String> dataRoots,
                            Map<String, String> connections, AuthOptions auth, TlsSettings tls, String onlineStore, String sharedDir,
                            Duration refreshInterval) {

    /** How often deployments changed through other servers and moved aliases are taken up, unless --refresh-interval says. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    public ServerOptions {
        pipelineJdbcPrefixes = pipelineJdbcPrefixes == null ? List.of() : List.copyOf(pipelineJdbcPrefixes);
        dataRoots = dataRoots == null ? List.of() : List.copyOf(dataRoots);
        connections = connections == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        if (auth == null) auth = AuthOptions.none();
        if (onlineStore != null && onlineStore.isBlank()) onlineStore = null;
    }

    /** One server alone (no shared directory, the default refresh interval), without an online store. */
    public ServerOptions(String storeUri, String artifactRoot, String host, int port, String pipelines,
                         List<String> pipelineJdbcPrefixes, boolean allowPipelineCommands, List<String> dataRoots,
                         Map<String, String> connections, AuthOptions auth, TlsSettings tls) {
        this(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots, connections, auth, tls,
                null, null, null);
    }

    /** Plain HTTP. */
    public ServerOptions(String storeUri, String artifactRoot, String host, int port, String pipelines,
                         List<String> pipelineJdbcPrefixes, boolean allowPipelineCommands, List<String> dataRoots,
                         Map<String, String> connections, AuthOptions auth) {
        this(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots, connections, auth, null);
    }

    /** The server's options without data roots, connections or authentication (the embedded single-user default). */
    public ServerOptions(String storeUri, String artifactRoot, String host, int port, String pipelines,
                         List<String> pipelineJdbcPrefixes, boolean allowPipelineCommands) {
        this(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, List.of(), Map.of(),
                AuthOptions.none());
    }

    /** These options with other data roots and named connections. */
    public ServerOptions withData(List<String> roots, Map<String, String> named) {
        return new ServerOptions(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, roots, named,
                auth, tls, onlineStore, sharedDir, refreshInterval);
    }

    /** The same options as one of several servers sharing {@code dir} (null: alone), taking up others' changes every {@code refresh}. */
    public ServerOptions withScaleOut(String dir, Duration refresh) {
        return new ServerOptions(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots,
                connections, auth, tls, onlineStore, dir, refresh);
    }

    /** The same options with authentication as given. */
    public ServerOptions withAuth(AuthOptions auth) {
        return new ServerOptions(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots,
                connections, auth, tls, onlineStore, sharedDir, refreshInterval);
    }

    /** The same options serving HTTPS with {@code settings} (null: plain HTTP). */
    public ServerOptions withTls(TlsSettings settings) {
        return new ServerOptions(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots,
                connections, auth, settings, onlineStore, sharedDir, refreshInterval);
    }

    /** The same options reading features from the online store at {@code uri} (null: none). */
    public ServerOptions withOnlineStore(String uri) {
        return new ServerOptions(storeUri, artifactRoot, host, port, pipelines, pipelineJdbcPrefixes, allowPipelineCommands, dataRoots,
                connections, auth, tls, uri, sharedDir, refreshInterval);
    }

    /** What requests may read: files under the data roots, databases by their connection names. */
    public DataAccess dataAccess() {
        return new DataAccess(dataRoots.stream().map(Path::of).toList(), connections, List.of());
    }

    /** The server's options with pipelines at their defaults. */
    public ServerOptions(String storeUri, String artifactRoot, String host, int port) {
        this(storeUri, artifactRoot, host, port, null, List.of(), false);
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;

    public static ServerOptions defaults() {
        return new ServerOptions(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot(), DEFAULT_HOST, DEFAULT_PORT);
    }

    /** Parses command-line options; bad ones raise INVALID_PARAMETER_VALUE naming the option. */
    public static ServerOptions parse(List<String> args) {
        String store = null;
        String artifacts = null;
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String pipelines = null;
        List<String> prefixes = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        Map<String, String> connections = new LinkedHashMap<>();
        boolean commands = false;
        boolean auth = false;
        boolean insecureNoAuth = false;
        Permission defaultPermission = Permission.NO_PERMISSIONS;
        List<String> trustedProxies = new ArrayList<>();
        Map<String, String> jwt = new LinkedHashMap<>();
        String tlsCert = null;
        String tlsKey = null;
        Duration sessionTtl = null;
        Duration sessionIdle = null;
        String onlineStore = null;
        String sharedDir = null;
        Duration refreshInterval = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--allow-pipeline-commands")) {
                commands = true;
                continue;
            }
            if (arg.equals("--auth")) {
                auth = true;
                continue;
            }
            if (arg.equals("--insecure-no-auth")) {
                insecureNoAuth = true;
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.size()) {
                    throw CairnException.invalid(arg, null, "a value after " + arg + "; options are " + OPTIONS);
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--store" -> store = value;
                case "--artifacts" -> artifacts = value;
                case "--host" -> host = value;
                case "--port" -> port = parsePort(value);
                case "--pipelines" -> pipelines = value;
                case "--pipeline-jdbc-prefix" -> {
                    if (!value.startsWith("jdbc:") || value.length() < 8) {
                        throw CairnException.invalid("--pipeline-jdbc-prefix", value, "a JDBC URL prefix such as jdbc:postgresql://db:5432/master");
                    }
                    prefixes.add(value);
                }
                case "--default-permission" -> defaultPermission = Permission.parse("--default-permission", value);
                case "--trusted-proxy" -> trustedProxies.add(value.trim());
                case "--data-root" -> roots.add(dataRoot(value));
                case "--connection" -> addConnection(connections, "--connection", value);
                case "--connections" -> readConnections(connections, value);
                case "--tls-cert" -> tlsCert = value;
                case "--tls-key" -> tlsKey = value;
                case "--online-store" -> onlineStore = onlineStore(value);
                case "--session-ttl" -> sessionTtl = duration("--session-ttl", value);
                case "--session-idle-timeout" -> sessionIdle = duration("--session-idle-timeout", value);
                case "--shared-dir" -> sharedDir = value;
                case "--refresh-interval" -> refreshInterval = positive("--refresh-interval", duration("--refresh-interval", value));
                case "--jwks", "--jwt-issuer", "--jwt-audience", "--jwt-user-claim", "--jwt-groups-claim" -> jwt.put(name, value.trim());
                default -> throw CairnException.invalid("option", arg, "one of " + OPTIONS);
            }
        }
        return new ServerOptions(store == null ? CairnHome.defaultMetadataUri() : store,
                artifacts == null ? CairnHome.defaultArtifactRoot() : artifacts, host, port, pipelines, prefixes, commands,
                roots, connections, new AuthOptions(auth, insecureNoAuth, defaultPermission, trustedProxies, jwt(jwt),
                new SessionSettings(sessionTtl, sessionIdle)), TlsSettings.of(tlsCert, tlsKey), onlineStore, sharedDir, refreshInterval);
    }

    static final String OPTIONS = "--store URI, --artifacts URI, --host HOST, --port PORT, --pipelines DIR, "
            + "--pipeline-jdbc-prefix PREFIX, --allow-pipeline-commands, --data-root DIR, --connection NAME=JDBC_URL, "
            + "--connections FILE, --auth, --default-permission PERMISSION, --trusted-proxy ADDRESS, --insecure-no-auth, "
            + "--jwks FILE_OR_URL, --jwt-issuer ISSUER, --jwt-audience AUDIENCE, --jwt-user-claim CLAIM, --jwt-groups-claim CLAIM, "
            + "--tls-cert FILE, --tls-key FILE, --online-store URI, "
            + "--session-ttl DURATION, --session-idle-timeout DURATION, --shared-dir DIR, --refresh-interval DURATION";

    private static Duration positive(String option, Duration duration) {
        if (duration.isZero() || duration.isNegative()) throw CairnException.invalid(option, duration, "a positive duration such as 5s");
        return duration;
    }

    /** A duration such as 12h, 90m or PT1H (the grammar of pipeline specs). */
    private static Duration duration(String option, String value) {
        Duration duration = Durations.parse(value);
        if (duration == null) throw CairnException.invalid(option, value, "a duration such as 12h, 90m or PT1H");
        return duration;
    }

    /** An online store URI by its scheme (the store itself is opened, and checked, when the server starts). */
    private static String onlineStore(String value) {
        String v = value.strip();
        if (!v.startsWith("sqlite:") && !v.startsWith("redis://") && !v.startsWith("rediss://")) {
            throw CairnException.invalid("--online-store", v.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@"),
                    "an online store URI: sqlite:/path/online.db, redis://host:port or rediss://host:port");
        }
        return v;
    }

    /** A data root must be an existing directory: a typo would otherwise refuse every request without saying why. */
    private static String dataRoot(String value) {
        try {
            Path dir = Path.of(value).toAbsolutePath().normalize();
            if (Files.isDirectory(dir)) return dir.toString();
        } catch (java.nio.file.InvalidPathException e) {
            // falls through to the refusal
        }
        throw CairnException.invalid("--data-root", value, "an existing directory whose files requests may read");
    }

    private static void addConnection(Map<String, String> into, String option, String value) {
        int eq = value.indexOf('=');
        String name = eq < 0 ? "" : value.substring(0, eq).trim();
        String url = eq < 0 ? "" : value.substring(eq + 1).trim();
        if (!DataAccess.CONNECTION_NAME.matcher(name).matches() || !DataAccess.isJdbc(url)) {
            throw CairnException.invalid(option, DataAccess.redact(value), "NAME=JDBC_URL, e.g. master=jdbc:postgresql://db:5432/master "
                    + "(a name of letters, digits, '_', '.' and '-' starting with a letter)");
        }
        if (into.putIfAbsent(name, url) != null) throw CairnException.invalid(option, name, "each connection name once");
    }

    /** {@code --connections FILE}: lines {@code NAME=JDBC_URL} (a properties file; {@code #} comments). */
    private static void readConnections(Map<String, String> into, String file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw CairnException.invalid("--connections", file, "a readable file of lines NAME=JDBC_URL");
        }
        properties.stringPropertyNames().stream().sorted()
                .forEach(name -> addConnection(into, "--connections " + file, name + "=" + properties.getProperty(name)));
    }

    /** The JWT settings when any --jwt option or --jwks is given (each missing required one is then named). */
    private static JwtSettings jwt(Map<String, String> options) {
        if (options.isEmpty()) return null;
        if (!options.containsKey("--jwks")) {
            throw CairnException.invalid("--jwks", null, "a JWKS file or URL with " + String.join(", ", options.keySet()));
        }
        return new JwtSettings(options.get("--jwks"), options.get("--jwt-issuer"), options.get("--jwt-audience"),
                options.get("--jwt-user-claim"), options.get("--jwt-groups-claim"));
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw CairnException.invalid("--port", value, "a port number from 0 to 65535");
        }
    }
}

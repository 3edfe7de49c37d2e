package dev.cairn.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.cli.ServerCommand;
import dev.cairn.monitor.log.LogRetention;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.AdminBootstrap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Kubernetes manifests (deploy/k8s) and the image (deploy/Dockerfile) against the server they run, since no cluster
 * is reachable to try them: the Deployment's arguments are options {@code cairn server} has (parsed by its own picocli
 * command and by ServerOptions, as a pod's start would), every {@code $(VAR)} they use is set in the container, every
 * variable set is one the server reads, Secrets and ConfigMaps referenced exist with the keys named, the probe paths are
 * answered by a real server, and the ports, volumes and image paths agree with each other.
 */
@DisplayName("Kubernetes manifests agree with the server's options, variables and health routes")
class KubernetesManifestsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * The environment variables the server (or the JVM) reads, beside those the arguments name as $(VAR): where each is read.
     */
    static final Set<String> READ_BY_THE_SERVER = Set.of(
            "CAIRN_HOME",                   // dev.cairn.store.CairnHome
            AdminBootstrap.PASSWORD_VARIABLE, // the first admin's password with --auth
            "CAIRN_S3_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", // S3ArtifactRepositoryProvider
            "CAIRN_LOG_COMPACT_AFTER", "CAIRN_LOG_DELETE_AFTER", // LogRetention.Policy.fromEnvironment
            "JAVA_TOOL_OPTIONS");           // the JVM itself

    static final Map<String, List<JsonNode>> BY_KIND = new HashMap<>();
    static final Map<String, Path> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    for (JsonNode doc : docs.readAll()) {
                        if (doc == null || doc.isEmpty()) continue;
                        BY_KIND.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
                        FILES.put(doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText(), file);
                    }
                }
            }
        }
    }

    static JsonNode one(String kind) {
        assertThat(BY_KIND.get(kind)).as(kind).hasSize(1);
        return BY_KIND.get(kind).getFirst();
    }

    static JsonNode named(String kind, String name) {
        return BY_KIND.getOrDefault(kind, List.of()).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + K8S));
    }

    static JsonNode container() {
        JsonNode containers = one("Deployment").at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** Every variable the container has: its env entries and the keys of the ConfigMaps it takes whole. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container().path("env")) env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<secret>");
        for (JsonNode from : container().path("envFrom")) {
            named("ConfigMap", from.at("/configMapRef/name").asText()).path("data")
                    .properties().forEach(p -> env.put(p.getKey(), p.getValue().asText()));
        }
        return env;
    }

    static List<String> args() {
        List<String> args = new ArrayList<>();
        container().path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** The arguments with each $(VAR) replaced as Kubernetes would, by a value of the right shape. */
    static List<String> substituted() {
        Map<String, String> values = Map.of("CAIRN_STORE_URI", "postgresql://cairn:secret@db:5432/cairn",
                "CAIRN_ARTIFACTS", environment().getOrDefault("CAIRN_ARTIFACTS", "s3://bucket/prefix"));
        List<String> out = new ArrayList<>();
        for (String arg : args()) {
            Matcher m = VARIABLE.matcher(arg);
            StringBuilder b = new StringBuilder();
            while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "value-of-" + m.group(1))));
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(K8S)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).forEach(present::add);
        }
        assertThat(listed).isEqualTo(present);
    }

    @Test
    @DisplayName("The Deployment's arguments are `cairn server` options, with values the server takes")
    void argumentsAreServerOptions() {
        List<String> args = substituted();
        assertThat(args.getFirst()).isEqualTo("server");
        List<String> options = args.subList(1, args.size());
        // picocli refuses an option `cairn server` does not have, or one without its value.
        CommandLine.ParseResult parsed = new CommandLine(new ServerCommand()).parseArgs(options.toArray(String[]::new));
        assertThat(parsed.unmatched()).isEmpty();
        for (String arg : options) {
            if (arg.startsWith("--")) assertThat(parsed.hasMatchedOption(arg)).as(arg).isTrue();
        }
        // And the server's own parsing accepts the values (ports, durations), as ServerCommand hands them over.
        ServerOptions server = ServerOptions.parse(options);
        assertThat(server.host()).isEqualTo("0.0.0.0");
        assertThat(server.auth().enabled()).as("a server on every interface needs --auth").isTrue();
        assertThat(server.sharedDir()).as("replicas share a directory").isNotNull();
        assertThat(server.refreshInterval()).isNotNull();
        assertThat(container().at("/ports/0/containerPort").asInt()).isEqualTo(server.port());
    }

    @Test
    @DisplayName("Every $(VAR) in the arguments is set in the container, and every variable set is one the server reads")
    void variablesAreSetAndRead() {
        Map<String, String> env = environment();
        Set<String> used = new TreeSet<>();
        for (String arg : args()) {
            Matcher m = VARIABLE.matcher(arg);
            while (m.find()) used.add(m.group(1));
        }
        assertThat(env.keySet()).containsAll(used);
        for (String name : env.keySet()) {
            assertThat(used.contains(name) || READ_BY_THE_SERVER.contains(name)).as("%s is read by the server or its arguments", name).isTrue();
        }
        // The retention the ConfigMap sets is one the server accepts (it refuses a bad duration at start).
        LogRetention.Policy retention = LogRetention.Policy.fromEnvironment(env::get);
        assertThat(retention.compactAfter()).isNotNull();
        assertThat(env.get("CAIRN_HOME")).isEqualTo(mountPath("home"));
    }

    @Test
    @DisplayName("Secrets and ConfigMaps referenced exist with the keys named; the store URI and S3 keys come from a Secret")
    void referencesResolve() {
        Map<String, String> fromSecrets = new LinkedHashMap<>();
        for (JsonNode e : container().path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (ref.isMissingNode()) continue;
            JsonNode secret = named("Secret", ref.path("name").asText());
            assertThat(secret.path("stringData").has(ref.path("key").asText()) || secret.path("data").has(ref.path("key").asText()))
                    .as("key %s of secret %s", ref.path("key").asText(), ref.path("name").asText()).isTrue();
            fromSecrets.put(e.path("name").asText(), ref.path("key").asText());
        }
        assertThat(fromSecrets).containsKeys("CAIRN_STORE_URI", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", AdminBootstrap.PASSWORD_VARIABLE);
        JsonNode pod = one("Deployment").at("/spec/template/spec");
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("configMap")) named("ConfigMap", volume.at("/configMap/name").asText());
            if (volume.has("persistentVolumeClaim")) {
                JsonNode claim = named("PersistentVolumeClaim", volume.at("/persistentVolumeClaim/claimName").asText());
                assertThat(claim.at("/spec/accessModes").toString()).as("servers on several nodes share it").contains("ReadWriteMany");
            }
        }
    }

    @Test
    @DisplayName("Volumes are mounted where the arguments say, the Service reaches the pods' port, the image runs the built jar")
    void portsVolumesAndImageAgree() throws IOException {
        ServerOptions server = ServerOptions.parse(substituted().subList(1, substituted().size()));
        assertThat(server.sharedDir()).isEqualTo(mountPath("shared"));
        assertThat(server.pipelines()).isEqualTo(mountPath("pipelines"));
        JsonNode deployment = one("Deployment");
        JsonNode service = one("Service");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo(container().at("/ports/0/name").asText());
        deployment.at("/spec/selector/matchLabels").properties().forEach(label ->
                assertThat(deployment.at("/spec/template/metadata/labels").path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
        service.at("/spec/selector").properties().forEach(label ->
                assertThat(deployment.at("/spec/template/metadata/labels").path(label.getKey()).asText()).as(label.getKey())
                        .isEqualTo(label.getValue().asText()));

        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        // The distribution cairn-cli's build writes (finalName cairn, libraries in lib/ named by the jar's manifest).
        assertThat(dockerfile).contains("COPY --chown=root:root cairn-cli/target/cairn.jar /opt/cairn/cairn.jar")
                .contains("COPY --chown=root:root cairn-cli/target/lib/ /opt/cairn/lib/")
                .contains("\"-jar\", \"/opt/cairn/cairn.jar\"");
        assertThat(Files.readString(ROOT.resolve("cairn-cli/pom.xml"))).contains("<finalName>cairn</finalName>").contains("<classpathPrefix>lib/</classpathPrefix>");
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsUser").asText()).isEqualTo(user.group(1));
    }

    @Test
    @DisplayName("The probe paths are answered by a started server")
    void probesAreAnswered(@TempDir Path dir) throws Exception {
        JsonNode container = container();
        String readiness = container.at("/readinessProbe/httpGet/path").asText();
        String liveness = container.at("/livenessProbe/httpGet/path").asText();
        assertThat(readiness).isEqualTo("/health/ready");
        assertThat(liveness).isEqualTo("/health/live");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo(container.at("/ports/0/name").asText());
        }
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(), "127.0.0.1", 0);
        try (ServerMain.RunningServer running = ServerMain.start(options, java.time.Clock.systemUTC(), false)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of(readiness, liveness, container.at("/startupProbe/httpGet/path").asText())) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(running.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            }
        }
    }

    /** Where the volume {@code name} is mounted in the container. */
    static String mountPath(String name) {
        for (JsonNode mount : container().path("volumeMounts")) {
            if (mount.path("name").asText().equals(name)) return mount.path("mountPath").asText();
        }
        throw new AssertionError("no volume " + name + " is mounted");
    }
}

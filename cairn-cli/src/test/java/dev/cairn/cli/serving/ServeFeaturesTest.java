package dev.cairn.cli.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.features.online.RedisServer;
import dev.cairn.server.serving.ServingLauncher;
import dev.cairn.server.serving.ServingLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cairn serve --feature-service S --online-store URI}, run as the command it is (its own JVM): a model trained on
 * a feature service's training set, the views materialized into SQLite or a real Redis, and requests that carry only a
 * customer id predict as the same model predicts the row completed by hand.
 */
class ServeFeaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
    private static final String DEFINITIONS = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - {name: orders, path: orders.csv, event_timestamp: ordered_at}
            feature_views:
              - {name: last_order, entities: [customer], source: orders, features: [amount, items]}
            feature_services:
              - {name: basket, features: [last_order]}
            """;
    // Each customer's last order (as of 2024-06-01): 1 -> 40.0 and 4 items, 2 -> 15.5 and 1, 3 -> 90.0 and 7.
    private static final String ORDERS = """
            customer_id,ordered_at,amount,items
            1,2024-01-05,10.0,1
            2,2024-01-07,25.0,3
            3,2024-01-09,60.0,5
            1,2024-02-05,30.0,2
            2,2024-02-07,12.0,2
            3,2024-02-09,75.0,6
            1,2024-03-05,40.0,4
            2,2024-03-07,15.5,1
            3,2024-03-09,90.0,7
            """;

    // One store and one trained model for the class (training is most of a test's time); each test its own online store.
    @TempDir
    static Path dir;
    static String model;
    final HttpClient http = HttpClient.newHttpClient();

    private static String store() {
        return "sqlite:" + dir.resolve("cairn.db");
    }

    private static String artifacts() {
        return dir.resolve("artifacts").toUri().toString();
    }

    private static CliRunner.Result cairn(String... args) {
        CliRunner.Result r = CliRunner.runOn(store(), artifacts(), args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    /** Definitions applied, a model trained on the service's training set through the CLI. */
    @BeforeAll
    static void trainOnFeatures() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS);
        Files.writeString(defs.resolve("orders.csv"), ORDERS);
        StringBuilder labels = new StringBuilder("customer_id,event_timestamp,spend\n");
        for (int day = 10; day <= 28; day += 3) {
            for (int customer = 1; customer <= 3; customer++) {
                for (int month = 1; month <= 3; month++) {
                    labels.append(customer).append(",2024-0").append(month).append('-').append(day).append(',')
                            .append(customer * 10 + month * 3 + day % 5).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve("labels.csv"), labels.toString());
        cairn("features", "apply", defs.toString());
        JsonNode trained = JSON.readTree(cairn("train", "--feature-service", "basket", "--entities", dir.resolve("labels.csv").toString(),
                "--training-set", dir.resolve("basket.parquet").toString(), "--label", "spend", "--algorithm", "linear_regression",
                "--json").out());
        model = trained.get("model_uri").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "redis"})
    void aRequestWithAnEntityIdAlonePredictsAsTheRowCompletedByHand(String kind) throws Exception {
        RedisServer redis = kind.equals("redis") ? RedisServer.start(Files.createDirectories(dir.resolve("redis"))) : null;
        try {
            String online = redis == null ? "sqlite:" + dir.resolve("online-" + kind + ".db") : redis.uri();
            cairn("features", "materialize", "--online", online, "--as-of", "2024-06-01");
            Process serve = serve(model, "--feature-service", "basket", "--online-store", online);
            try (ServingLauncher.Running plain = ServingLauncher.serve(model, "plain", store(), artifacts(), "127.0.0.1", 0, null,
                    ServingLimits.DEFAULTS)) {
                String url = listening(serve);
                assertThat(predict(url, "basket", "[{\"customer_id\": 1}, {\"customer_id\": 3}, {\"customer_id\": 2}]"))
                        .isEqualTo(predict(plain.url(), "plain", "[{\"amount\": 40.0, \"items\": 4}, {\"amount\": 90.0, \"items\": 7},"
                                + " {\"amount\": 15.5, \"items\": 1}]"));
                HttpResponse<String> unknown = post(url, "basket", "[{\"customer_id\": 999}]");
                assertThat(unknown.statusCode()).as(unknown.body()).isBetween(400, 499);
                assertThat(unknown.body()).contains("customer_id").contains("999");
            } finally {
                stop(serve);
            }
        } finally {
            if (redis != null) redis.close();
        }
    }

    @Test
    void anOnlineStoreIsParsedAsTheServersAndAFeatureServiceNeedsOne() {
        CliRunner.Result scheme = CliRunner.runOn(store(), artifacts(), "serve", "--model", model, "--port", "0", "--feature-service",
                "basket", "--online-store", "mysql://db/features");
        assertThat(scheme.exitCode()).isEqualTo(2);
        assertThat(scheme.err()).contains("--online-store").contains("mysql://db/features").contains("redis://host:port");
        CliRunner.Result alone = CliRunner.runOn(store(), artifacts(), "serve", "--model", model, "--port", "0", "--online-store",
                "sqlite:" + dir.resolve("online-unused.db"));
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--feature-service");
        CliRunner.Result noStore = CliRunner.runOn(store(), artifacts(), "serve", "--model", model, "--port", "0", "--feature-service",
                "basket");
        assertThat(noStore.exitCode()).as(noStore.err()).isNotZero();
        assertThat(noStore.err()).contains("'basket'").contains("--online-store");
        assertThat(noStore.out()).doesNotContain("Serving");
    }

    /** {@code cairn serve} in its own JVM, on a free port. */
    private Process serve(String model, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Duser.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                dev.cairn.cli.Main.class.getName(), "serve", "--model", model, "--name", "basket", "--port", "0", "--store", store(),
                "--artifacts", artifacts()));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The child gets the test directory as HOME and CAIRN_HOME, as user.home above says.
        builder.environment().put("HOME", dir.resolve("home").toString());
        builder.environment().put("CAIRN_HOME", dir.resolve("home/.cairn").toString());
        return builder.start();
    }

    /** The URL the child prints once it serves; its output so far when it stops first. */
    private static String listening(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (line.startsWith("Serving ") && m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining so the child never blocks
                return m.group(1);
            }
        }
        throw new AssertionError("cairn serve stopped before serving: " + seen);
    }

    /** SIGTERM, as Ctrl-C: the child drains its requests and exits; killed if it has not within a minute. */
    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();
        if (!serve.waitFor(60, TimeUnit.SECONDS)) serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String url, String deployment, String inputs) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/deployments/" + deployment + "/predict"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": " + inputs + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode predict(String url, String deployment, String inputs) throws Exception {
        HttpResponse<String> r = post(url, deployment, inputs);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(r.body()).get("predictions");
        assertThat(predictions).hasSize(3);
        return predictions;
    }
}

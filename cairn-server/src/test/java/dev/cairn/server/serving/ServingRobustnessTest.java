package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Malformed requests get 4xx, overload gets 503 with Retry-After, and a stop drains requests in flight")
class ServingRobustnessTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        model = CreditModels.shared(5, false);
    }

    static ServingServer start(ServingLimits limits, String logDir) {
        ServingConfig config = ServingConfig.defaults(dir.resolve(logDir)).withLimits(limits).withAliasRefreshInterval(Duration.ZERO);
        ServingServer server = new ServingServer(new Serving(config, null, null), "127.0.0.1", 0);
        server.start();
        server.deployAsync(DeploymentSpec.single("credit-risk", model.toString()), "test").join();
        return server;
    }

    static final String[] VALID = {
            "{\"dataframe_split\": {\"columns\": [\"age\", \"amount\", \"purpose\"], \"data\": [[35, 2500.0, \"car\"]]}}",
            "{\"dataframe_records\": [{\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}]}",
            "{\"inputs\": [{\"name\": \"age\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [35]}, "
                    + "{\"name\": \"amount\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [2500.0]}, "
                    + "{\"name\": \"purpose\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"car\"]}]}",
            "{\"inputs\": {\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}}"};
    static final String[] PATHS = {"/invocations", "/invocations", "/v2/models/credit-risk/infer", "/api/v1/deployments/credit-risk/predict"};

    /** One request that is wrong in a way chosen by {@code random}; never accidentally valid. */
    static String malformed(Random random, int kind, String valid) {
        return switch (kind) {
            case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));                       // truncated JSON
            case 1 -> valid.replace("35", List.of("\"thirty-five\"", "-4", "1e400", "true", "[35, 36]", "{}", "null", "NaN").get(random.nextInt(8)));
            case 2 -> valid.replace("\"car\"", List.of("\"yacht\"", "7", "null", "[]", "\"\"").get(random.nextInt(5)));
            case 3 -> valid.replace("\"age\"", "\"agee\"");                                             // a required field missing
            case 4 -> {
                byte[] noise = new byte[1 + random.nextInt(300)];
                random.nextBytes(noise);
                noise[0] = '#';
                yield new String(noise, StandardCharsets.ISO_8859_1);                                    // garbage
            }
            case 5 -> "[".repeat(2000 + random.nextInt(3000));                                          // deep nesting
            case 6 -> List.of("", "null", "[]", "42", "\"text\"", "{}", "{\"unknown\": 1}").get(random.nextInt(7));
            case 7 -> valid.replace("2500.0", "-" + (1 + random.nextInt(1000)) + ".5");                  // below the range
            default -> valid + "}" + "x".repeat(random.nextInt(5));                                      // trailing junk
        };
    }

    @Test
    void a_thousand_malformed_requests_get_only_4xx_and_the_server_still_serves() {
        try (ServingServer server = start(ServingLimits.DEFAULTS, "log-fuzz")) {
            Http http = new Http(server.url());
            Random random = new Random(20261123);
            List<String> unexpected = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                int format = random.nextInt(VALID.length);
                int kind = random.nextInt(9);
                String body = malformed(random, kind, VALID[format]);
                String contentType = random.nextInt(20) == 0 ? "application/json; charset=utf-8" : "application/json";
                Http.Response r = http.post(PATHS[format], body.getBytes(StandardCharsets.ISO_8859_1), contentType);
                if (r.status() < 400 || r.status() >= 500) unexpected.add(r.status() + " for kind " + kind + " " + PATHS[format] + ": "
                        + body.substring(0, Math.min(120, body.length())) + " -> " + r.body());
                else assertThat(r.json().get("error_code").asText()).isNotBlank();
            }
            Http.Response csv = http.post("/invocations", "age,amount\n\"unterminated,1\n", "text/csv");
            Http.Response xml = http.post("/invocations", "<rows/>", "application/xml");
            assertThat(List.of(csv.status(), xml.status())).allMatch(s -> s >= 400 && s < 500);
            assertThat(unexpected).isEmpty();
            for (int f = 0; f < VALID.length; f++) {
                assertThat(http.post(PATHS[f], VALID[f]).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void beyond_the_concurrency_limit_requests_get_503_with_retry_after_and_are_served_again_after() {
        try (ServingServer server = start(ServingLimits.DEFAULTS.withMaxConcurrentRequests(2), "log-overload")) {
            Http http = new Http(server.url());
            Admission admission = server.serving().admission();
            // The limit taken by two predictions in flight (held here, on the server's own admission control).
            assertThat(admission.tryEnter()).isTrue();
            assertThat(admission.tryEnter()).isTrue();
            Http.Response refused = http.post(PATHS[1], VALID[1]);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.json().get("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");
            assertThat(http.get("/metrics").body()).contains("cairn_serving_rejected_total 1.0");
            admission.exit();
            admission.exit();
            assertThat(http.post(PATHS[1], VALID[1]).status()).isEqualTo(200);
        }
    }

    @Test
    void readiness_waits_for_the_model_and_a_stop_lets_the_request_in_flight_finish() throws Exception {
        ServingConfig config = ServingConfig.defaults(dir.resolve("log-drain")).withAliasRefreshInterval(Duration.ZERO);
        ServingServer server = new ServingServer(new Serving(config, null, null), "127.0.0.1", 0);
        server.start();
        Http http = new Http(server.url());
        assertThat(http.get("/health/live").status()).isEqualTo(200);
        assertThat(http.get("/health/ready").status()).isEqualTo(503);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(503);
        server.deployAsync(DeploymentSpec.single("credit-risk", model.toString()), "test").join();
        assertThat(http.get("/health/ready").status()).isEqualTo(200);

        StringBuilder rows = new StringBuilder("{\"inputs\": [");
        for (int i = 0; i < 5_000; i++) rows.append(i == 0 ? "" : ",").append("{\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}");
        String batch = rows.append("], \"explain\": true}").toString();
        CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(
                () -> new Http(server.url()).post("/api/v1/deployments/credit-risk/predict", batch));
        while (server.serving().admission().inFlight() == 0 && !inFlight.isDone()) Thread.onSpinWait();
        server.stop();
        Http.Response answered = inFlight.join();
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().get("predictions")).hasSize(5_000);
    }
}

package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {

    @TempDir
    Path dir;

    @Test
    void optionsAreParsedWithDefaultsForWhatIsNotGiven() {
        ServerOptions options = ServerOptions.parse(List.of("--store", "sqlite:/tmp/x.db", "--port=8080"));
        assertThat(options.storeUri()).isEqualTo("sqlite:/tmp/x.db");
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.artifactRoot()).endsWith("/artifacts");
    }

    @Test
    void dataRootsAndNamedConnectionsAreParsedAndNoneIsTheDefault() throws Exception {
        assertThat(ServerOptions.parse(List.of()).dataAccess().roots()).isEmpty();
        assertThat(ServerOptions.parse(List.of()).dataAccess().connections()).isEmpty();
        Path connections = Files.writeString(dir.resolve("connections.properties"),
                "# named databases\nwarehouse=jdbc:postgresql://db:5432/dw?password=secret\n");
        ServerOptions options = ServerOptions.parse(List.of("--data-root", dir.toString(), "--connection=master=jdbc:sqlite:/srv/master.db",
                "--connections", connections.toString()));
        assertThat(options.dataRoots()).containsExactly(dir.toAbsolutePath().normalize().toString());
        assertThat(options.dataAccess().connections()).containsOnlyKeys("master", "warehouse");
        assertThat(options.dataAccess().connection("c", "master")).isEqualTo("jdbc:sqlite:/srv/master.db");

        assertThatThrownBy(() -> ServerOptions.parse(List.of("--data-root", dir.resolve("missing").toString())))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--data-root"));
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--connection", "no-url")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--connection"));
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--connection", "x=jdbc:postgresql://db/x?password=hunter2",
                "--connection", "x=jdbc:sqlite:y.db"))).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.getMessage()).contains("each connection name once"));
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--connection", "1bad=jdbc:postgresql://db/x?password=hunter2")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--port", "http")))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("--port").contains("http");
                });
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--colour", "red")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--colour"));
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--store")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--store"));
    }

    @Test
    void startOpensTheStoresAndServesEveryRouteGroup() {
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0);
        try (ServerMain.RunningServer running = ServerMain.start(options)) {
            Http http = new Http(running.url());
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(http.get("/api/v1/openapi.json").status()).isEqualTo(200);
            assertThat(http.get("/api/2.0/mlflow/experiments/search?max_results=10").status()).isEqualTo(200);
        }
    }

    @Test
    void startUpRemovesWhatAKilledServerLeftOnDisk() throws Exception {
        Path artifacts = dir.resolve("sweep/artifacts");
        Path cache = dir.resolve("sweep/serving/model-cache");
        var old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        Path partialUpload = Files.createDirectories(artifacts.resolve("1/abc/artifacts")).resolve(".cairn-tmp-0123456789abcdef01234567");
        Files.writeString(partialUpload, "half a file");
        Path abandonedParts = Files.createDirectories(artifacts.resolve(".cairn-uploads/0123456789abcdef0123456789abcdef"));
        Files.writeString(abandonedParts.resolve("part-00001"), "part");
        Files.writeString(abandonedParts.resolve("target"), "big.bin");
        Path failedCopy = Files.createDirectories(cache.resolve(".0123456789abcdef0123456789abcdef-" + java.util.UUID.randomUUID()));
        Files.writeString(failedCopy.resolve("model.bin"), "half a model");
        Path completeCopy = Files.createDirectories(cache.resolve("0123456789abcdef0123456789abcdef"));
        Files.writeString(completeCopy.resolve("model.bin"), "a model");
        Path kept = Files.createDirectories(artifacts.resolve("1/abc/artifacts/model")).resolve("weights.bin");
        Files.writeString(kept, "weights");
        try (var files = Files.walk(dir.resolve("sweep"))) {
            for (Path p : files.toList()) Files.setLastModifiedTime(p, old);
        }
        Path freshUpload = Files.createDirectories(artifacts.resolve(".cairn-uploads/fedcba9876543210fedcba9876543210")).resolve("target");
        Files.writeString(freshUpload, "still uploading");

        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("sweep.db"), artifacts.toUri().toString(), "127.0.0.1", 0);
        try (ServerMain.RunningServer running = ServerMain.start(options)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((Files.exists(partialUpload) || Files.exists(abandonedParts) || Files.exists(failedCopy)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(partialUpload).doesNotExist();
            assertThat(abandonedParts).doesNotExist();
            assertThat(failedCopy).doesNotExist();
            assertThat(kept).hasContent("weights");
            assertThat(completeCopy.resolve("model.bin")).hasContent("a model");
            assertThat(freshUpload).as("an upload younger than an hour may still be in progress").exists();
        }
    }

    @Test
    void aNulInAPathFieldIsA400NamingTheField() {
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("nul.db"), dir.resolve("nul-artifacts").toUri().toString(),
                "127.0.0.1", 0);
        String nulPath = "/tmp/a\\u0000b.csv";
        String[][] calls = {
                {"POST", "/api/v1/evaluations", "{\"model\": \"models:/m/1\", \"data\": \"" + nulPath + "\", \"label\": \"y\"}", "data"},
                {"POST", "/api/v1/data/profile", "{\"source\": {\"path\": \"" + nulPath + "\"}}", "source.path"},
                {"PUT", "/api/v1/deployments/d", "{\"targets\": [{\"model\": \"" + nulPath + "\", \"weight\": 100}]}", "targets[0].model"}};
        try (ServerMain.RunningServer running = ServerMain.start(options)) {
            Http http = new Http(running.url());
            for (String[] call : calls) {
                Http.Response response = http.send(call[0], call[1], call[2], null);
                assertThat(response.status()).as(call[1] + " " + response.body()).isEqualTo(400);
                assertThat(response.json().path("details").path("field").asText()).as(call[1]).isEqualTo(call[3]);
                assertThat(response.json().path("message").asText()).contains("NUL");
            }
        }
    }

    @Test
    void theProcessPrintsItsUrlAndStopsCleanlyOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--store", "sqlite:" + dir.resolve("cairn.db"), "--artifacts", dir.resolve("artifacts").toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            StringBuilder log = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                log.append(line).append('\n');
                if (line.startsWith("Cairn server listening on ")) {
                    url = line.substring("Cairn server listening on ".length()).trim();
                    break;
                }
            }
            assertThat(url).as(log.toString()).startsWith("http://127.0.0.1:");
            assertThat(new Http(url).get("/health/live").status()).isEqualTo(200);

            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                StringBuilder remaining = new StringBuilder();
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) remaining.append(line).append('\n');
                } catch (java.io.IOException e) {
                    remaining.append(e);
                }
                return remaining.toString();
            });
            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM ran its shutdown hooks
            assertThat(rest.get(10, TimeUnit.SECONDS)).contains("Cairn server stopped");
        } finally {
            process.destroyForcibly();
        }
    }
}

package dev.cairn.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.client.Cairn;
import dev.cairn.client.CairnRun;
import dev.cairn.client.remote.RemoteModelResolver;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("RemoteModelResolver downloads registered packages from a real server")
class RemoteModelResolverTest {

    @TempDir
    Path dir;

    private LiveServer server;
    private Cairn cairn;
    private Path packageDir;
    private String runId;
    private RemoteModelResolver resolver;

    @BeforeEach
    void registerAModel() {
        server = LiveServer.start(dir.resolve("server"));
        cairn = server.connect("alice");
        packageDir = linearPackage(dir.resolve("built/model"));
        try (CairnRun run = cairn.startRun("credit")) {
            runId = run.runId();
            run.logArtifact(packageDir);
        }
        cairn.createRegisteredModel("credit");
        cairn.createModelVersion("credit", "runs:/" + runId + "/model", runId);
        cairn.setAlias("credit", "champion", 1);
        resolver = cairn.modelResolver(dir.resolve("cache"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** y = 2x + 1, with a nested asset so that the download walks directories. */
    private static Path linearPackage(Path target) {
        List<Field> inputs = List.of(new Field("x", FieldType.DOUBLE, false, null, null, null, null));
        ModelManifest manifest = ModelManifest.of(new Signature(inputs, OutputSpec.regression("y")),
                new Preprocessing(List.of(), List.of("x")), new ModelBody.Linear(List.of(List.of(2.0)), List.of(1.0)), null,
                Provenance.ofEnvironment(), null);
        ModelPackageWriter.write(target, manifest, Map.of("assets/notes.txt", "trained on the german credit data\n"
                .getBytes(StandardCharsets.UTF_8)));
        return target;
    }

    /** Every file under {@code root} by relative path, with its bytes. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void assertSameFiles(Path actual, Path expected) throws IOException {
        Map<String, byte[]> got = files(actual);
        Map<String, byte[]> want = files(expected);
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        want.forEach((path, bytes) -> assertThat(got.get(path)).as(path).isEqualTo(bytes));
    }

    @Test
    @DisplayName("models:/name/1 downloads the package directory, byte-identical, into <cache>/<name>/<version>, and it loads")
    void byVersion() throws IOException {
        Path resolved = resolver.resolve(ModelReference.parse("models:/credit/1"));
        assertThat(resolved).isEqualTo(dir.resolve("cache/credit/1"));
        assertSameFiles(resolved, packageDir);
        assertThat(files(resolved)).containsKey("assets/notes.txt");
        try (Model model = Models.load("models:/credit/1", resolver::resolve)) {
            assertThat(model.predict(Map.of("x", 3.0)).value()).isCloseTo(7.0, within(1e-12));
        }
        try (Stream<Path> entries = Files.list(dir.resolve("cache/credit"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).as("no temporary directory is left").containsExactly("1");
        }
    }

    @Test
    @DisplayName("models:/name@alias resolves to its version's cache entry; moving the alias downloads the new version")
    void byAlias() throws IOException {
        assertThat(resolver.resolve(ModelReference.parse("models:/credit@champion"))).isEqualTo(dir.resolve("cache/credit/1"));
        Path second = linearPackage(dir.resolve("built2/model"));
        String secondRun;
        try (CairnRun run = cairn.startRun("credit")) {
            secondRun = run.runId();
            run.logArtifact(second);
        }
        cairn.createModelVersion("credit", "runs:/" + secondRun + "/model", secondRun);
        cairn.setAlias("credit", "champion", 2);
        Path moved = resolver.resolve(ModelReference.parse("models:/credit@champion"));
        assertThat(moved).isEqualTo(dir.resolve("cache/credit/2"));
        assertSameFiles(moved, second);
    }

    @Test
    @DisplayName("runs:/<run>/model downloads by run id")
    void byRun() throws IOException {
        Path resolved = resolver.resolve(ModelReference.parse("runs:/" + runId + "/model"));
        assertThat(resolved).startsWith(dir.resolve("cache/_runs/" + runId));
        assertSameFiles(resolved, packageDir);
        assertThat(resolver.resolve(ModelReference.parse("runs:/" + runId + "/model/model.yaml")))
                .as("a single file is returned as that file").hasFileName("model.yaml")
                .hasSameBinaryContentAs(packageDir.resolve("model.yaml"));
    }

    @Test
    @DisplayName("a cached version is used as it is, without going back for its files")
    void cacheIsReused() throws IOException {
        Path first = resolver.resolve(ModelReference.parse("models:/credit/1"));
        Path marker = first.resolve("assets/notes.txt");
        long modified = Files.getLastModifiedTime(marker).toMillis();
        Path again = cairn.modelResolver(dir.resolve("cache")).resolve(ModelReference.parse("models:/credit/1"));
        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(marker).toMillis()).isEqualTo(modified);
    }

    @Test
    @DisplayName("two resolvers downloading one version at once both get the same complete package")
    void concurrentResolution() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Path>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RemoteModelResolver own = cairn.modelResolver(dir.resolve("cache"));
                results.add(pool.submit(() -> {
                    start.await();
                    return own.resolve(ModelReference.parse("models:/credit/1"));
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Path> result : results) {
                Path path = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(path).isEqualTo(dir.resolve("cache/credit/1"));
            }
        } finally {
            pool.shutdown();
        }
        assertSameFiles(dir.resolve("cache/credit/1"), packageDir);
        try (Stream<Path> entries = Files.list(dir.resolve("cache/credit"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("1");
        }
    }

    @Test
    @DisplayName("a package whose bytes changed on the server is DATA_LOSS and nothing is cached")
    void tamperedPackageIsNotCached() throws IOException {
        Path stored = Path.of(java.net.URI.create(cairn.getRun(runId).info().artifactUri())).resolve("model/assets/notes.txt");
        Files.writeString(stored, "trained on the german credit data?");
        CairnException e = catchThrowableOfType(CairnException.class, () -> resolver.resolve(ModelReference.parse("models:/credit/1")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(dir.resolve("cache/credit/1")).doesNotExist();
        try (Stream<Path> entries = Files.list(dir.resolve("cache/credit"))) {
            assertThat(entries.toList()).as("the temporary download is removed").isEmpty();
        }
    }

    @Test
    @DisplayName("unknown versions and aliases are RESOURCE_DOES_NOT_EXIST, as the server says")
    void unknownModels() {
        assertThat(catchThrowableOfType(CairnException.class, () -> resolver.resolve(ModelReference.parse("models:/credit/9"))).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(catchThrowableOfType(CairnException.class, () -> resolver.resolve(ModelReference.parse("models:/credit@nobody"))).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }
}

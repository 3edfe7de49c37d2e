package dev.cairn.store.artifact;

import static dev.cairn.store.artifact.ArtifactRepositoryContractTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Local artifact checksums, kept out of the directories users and loaders see")
class LocalChecksumStoreTest {
    @TempDir
    Path temp;
    Path root;
    LocalArtifactRepository repository;

    @BeforeEach
    void setUp() {
        root = temp.resolve("artifacts");
        repository = new LocalArtifactRepository(root);
    }

    static InputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String content) {
        return Sha256.of(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Every file below {@code dir} on disk, as sorted '/'-joined relative paths. */
    static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(dir::relativize).map(p -> p.toString().replace('\\', '/')).sorted().toList();
        }
    }

    static List<String> entriesOf(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void assertDataLoss(ArtifactRepository repo, String path) {
        CairnException e = catchThrowableOfType(CairnException.class, () -> readAll(repo.open(path)));
        assertThat(e).as("reading tampered %s through %s", path, repo).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
    }

    @Test
    @DisplayName("a model package directory written through the repository holds exactly the written files on disk")
    void packageDirectoryHoldsOnlyWrittenFiles() throws Exception {
        repository.put("model/model.yaml", text("format: xgboost\n"));
        repository.put("model/model.ubj", text("weights"));
        repository.put("model/data/schema.json", text("{}"));
        repository.put("model/extra.txt", text("removed again"));
        repository.delete("model/extra.txt");
        repository.put("model/model.yaml", text("format: xgboost\nversion: 2\n"));
        try (ArtifactRepository.MultipartUpload upload = repository.startMultipart("model/weights.bin")) {
            upload.putPart(2, text("second"));
            upload.putPart(1, text("first"));
            upload.complete();
        }

        assertThat(filesUnder(root.resolve("model")))
                .containsExactly("data/schema.json", "model.ubj", "model.yaml", "weights.bin");
        assertThat(entriesOf(root)).containsExactly(".cairn-checksums", "model");
        assertThat(repository.list("")).extracting(ArtifactInfo::path).containsExactly("model");
        assertThat(filesUnder(root.resolve(".cairn-checksums")))
                .containsExactly("model/data/schema.json", "model/model.ubj", "model/model.yaml", "model/weights.bin");
        assertThat(repository.stat("model/weights.bin").sha256()).isEqualTo(sha256("firstsecond"));
        assertThat(repository.stat("model/model.yaml").sha256()).isEqualTo(sha256("format: xgboost\nversion: 2\n"));
    }

    @Test
    @DisplayName("a repository opened at a run's directory by its file: URI verifies files written through the root, records its own writes in the root's store, and detects tampering")
    void subDirectoryRepositoryUsesTheRootsStore() throws Exception {
        ArtifactInfo model = repository.put("1/run/artifacts/model/model.ubj", text("weights"));
        ArtifactRepository run = Stores.openArtifacts(root.resolve("1/run/artifacts").toUri().toString());

        assertThat(run.stat("model/model.ubj").sha256()).isEqualTo(model.sha256());
        assertThat(readAll(run.open("model/model.ubj"))).isEqualTo("weights".getBytes(StandardCharsets.UTF_8));

        ArtifactInfo metrics = run.put("metrics.json", text("{\"auc\": 0.9}"));
        assertThat(filesUnder(root.resolve("1/run/artifacts"))).containsExactly("metrics.json", "model/model.ubj");
        assertThat(root.resolve(".cairn-checksums/1/run/artifacts/metrics.json")).isRegularFile();
        assertThat(repository.stat("1/run/artifacts/metrics.json").sha256()).isEqualTo(metrics.sha256());

        Files.writeString(root.resolve("1/run/artifacts/model/model.ubj"), "weightz");
        assertDataLoss(run, "model/model.ubj");
        assertDataLoss(repository, "1/run/artifacts/model/model.ubj");
        assertDataLoss(new LocalArtifactRepository(root.resolve("1/run/artifacts/model")), "model.ubj");
    }

    @Test
    @DisplayName("when a run's directory is written first, repositories opened later at its ancestor or below it find its records and detect tampering")
    void ancestorRepositoryFindsRecordsOfSubDirectoryWrites() throws Exception {
        Path runDir = root.resolve("1/run/artifacts");
        ArtifactRepository run = LocalArtifactRepository.fromUri(runDir.toUri().toString());
        ArtifactInfo written = run.put("model/m.bin", text("model bytes"));
        assertThat(entriesOf(runDir.resolve("model"))).containsExactly("m.bin");

        LocalArtifactRepository server = new LocalArtifactRepository(root);
        assertThat(server.stat("1/run/artifacts/model/m.bin").sha256()).isEqualTo(written.sha256());
        assertThat(server.list("1/run/artifacts")).extracting(ArtifactInfo::path).containsExactly("1/run/artifacts/model");
        assertThat(new LocalArtifactRepository(runDir.resolve("model")).stat("m.bin").sha256()).isEqualTo(written.sha256());

        // The server writes other runs through its own store, and into this run through the run's.
        server.put("1/other/artifacts/a.txt", text("a"));
        ArtifactInfo later = server.put("1/run/artifacts/model/n.bin", text("later"));
        assertThat(run.stat("model/n.bin").sha256()).isEqualTo(later.sha256());
        assertThat(entriesOf(runDir.resolve("model"))).containsExactly("m.bin", "n.bin");
        assertThat(entriesOf(root.resolve("1/other/artifacts"))).containsExactly("a.txt");

        Files.writeString(runDir.resolve("model/m.bin"), "model bytez");
        assertDataLoss(server, "1/run/artifacts/model/m.bin");
        assertDataLoss(run, "model/m.bin");
    }

    @Test
    @DisplayName("a child repository and its parent share one checksum store at the parent's root")
    void childSharesTheParentsStore() throws Exception {
        ArtifactRepository child = repository.child("runs/r1");
        ArtifactInfo written = child.put("a.txt", text("child"));

        assertThat(entriesOf(root.resolve("runs/r1"))).containsExactly("a.txt");
        assertThat(Files.readString(root.resolve(".cairn-checksums/runs/r1/a.txt"))).isEqualTo(written.sha256() + "  a.txt\n");
        ArtifactInfo fromParent = repository.put("runs/r1/b.txt", text("parent"));
        assertThat(child.stat("b.txt").sha256()).isEqualTo(fromParent.sha256());

        Files.writeString(root.resolve("runs/r1/a.txt"), "tampered");
        assertDataLoss(child, "a.txt");
    }

    @Test
    @DisplayName("delete removes a file's record, a recursive delete the records of the whole tree, a child's root delete its part of the store")
    void deleteRemovesRecords() throws Exception {
        repository.put("d/a.txt", text("a"));
        repository.put("d/sub/b.txt", text("b"));
        repository.put("keep.txt", text("k"));

        repository.delete("d/a.txt");
        assertThat(root.resolve(".cairn-checksums/d/a.txt")).doesNotExist();
        repository.delete("d");
        assertThat(root.resolve(".cairn-checksums/d")).doesNotExist();
        assertThat(filesUnder(root.resolve(".cairn-checksums"))).containsExactly("keep.txt");

        // A file copied in by hand where one was deleted has no stale record to fail against.
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/a.txt"), "copied in by hand");
        assertThat(repository.stat("d/a.txt").sha256()).isNull();
        assertThat(readAll(repository.open("d/a.txt"))).isEqualTo("copied in by hand".getBytes(StandardCharsets.UTF_8));

        ArtifactRepository child = repository.child("runs/r1");
        child.put("x/y.txt", text("y"));
        child.delete("");
        assertThat(root.resolve(".cairn-checksums/runs")).doesNotExist();
        assertThat(repository.stat("keep.txt").sha256()).isEqualTo(sha256("k"));
    }

    @Test
    @DisplayName("a file written by an earlier version, with its sidecar beside it, is still verified; rewriting or deleting it removes the sidecar")
    void legacySidecarsAreStillVerified() throws Exception {
        Path old = Files.createDirectories(root.resolve("old"));
        Files.writeString(old.resolve("a.bin"), "old bytes");
        Files.writeString(old.resolve(".cairn-sha256-a.bin"), sha256("old bytes") + "  a.bin\n");
        Files.writeString(old.resolve("b.bin"), "other");
        Files.writeString(old.resolve(".cairn-sha256-b.bin"), sha256("other") + "  b.bin\n");

        assertThat(repository.stat("old/a.bin").sha256()).isEqualTo(sha256("old bytes"));
        assertThat(repository.list("old")).extracting(ArtifactInfo::path, ArtifactInfo::sha256).containsExactly(
                org.assertj.core.groups.Tuple.tuple("old/a.bin", sha256("old bytes")),
                org.assertj.core.groups.Tuple.tuple("old/b.bin", sha256("other")));
        assertThat(readAll(repository.open("old/a.bin"))).isEqualTo("old bytes".getBytes(StandardCharsets.UTF_8));
        Files.writeString(old.resolve("a.bin"), "old bytez");
        assertDataLoss(repository, "old/a.bin");

        ArtifactInfo rewritten = repository.put("old/a.bin", text("new bytes"));
        repository.delete("old/b.bin");
        assertThat(entriesOf(old)).containsExactly("a.bin");
        assertThat(Files.readString(root.resolve(".cairn-checksums/old/a.bin"))).isEqualTo(rewritten.sha256() + "  a.bin\n");
        assertThat(readAll(repository.open("old/a.bin"))).isEqualTo("new bytes".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("list never shows the repository's own entries at the root, even while a multipart upload is in progress")
    void listingHidesReservedRootEntries() throws Exception {
        repository.put("x.txt", text("x"));
        try (ArtifactRepository.MultipartUpload upload = repository.startMultipart("big.bin")) {
            upload.putPart(1, text("part"));
            assertThat(entriesOf(root)).containsExactly(".cairn-checksums", ".cairn-uploads", "x.txt");
            assertThat(repository.list("")).extracting(ArtifactInfo::path).containsExactly("x.txt");
            upload.abort();
        }
        assertThat(entriesOf(root)).containsExactly(".cairn-checksums", "x.txt");
    }

    @Test
    @DisplayName("records left behind by files removed by hand do not block writing a directory or a file at their path")
    void staleRecordsDoNotBlockWrites() throws Exception {
        repository.put("p", text("a file"));
        Files.delete(root.resolve("p"));
        ArtifactInfo inside = repository.put("p/q.txt", text("now a directory"));
        assertThat(repository.stat("p/q.txt").sha256()).isEqualTo(inside.sha256());

        Files.delete(root.resolve("p/q.txt"));
        Files.delete(root.resolve("p"));
        ArtifactInfo file = repository.put("p", text("a file again"));
        assertThat(repository.stat("p").sha256()).isEqualTo(file.sha256());
        assertThat(readAll(repository.open("p"))).isEqualTo("a file again".getBytes(StandardCharsets.UTF_8));
    }
}

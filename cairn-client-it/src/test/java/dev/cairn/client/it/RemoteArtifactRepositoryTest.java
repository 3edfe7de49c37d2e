package dev.cairn.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.client.Cairn;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("RemoteArtifactRepository against a real server")
class RemoteArtifactRepositoryTest {

    @TempDir
    Path dir;

    private LiveServer server;
    private Cairn cairn;
    private Run run;
    private ArtifactRepository repository;

    @BeforeEach
    void start() {
        server = LiveServer.start(dir);
        cairn = server.connect("alice");
        String exp = cairn.metadataStore().experiments().createExperiment("artifacts", null, List.of());
        run = cairn.metadataStore().runs().createRun(exp, "alice", 1L, null, List.of());
        repository = cairn.artifacts(run.info().runId());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the server's local artifact repository keeps a file of the run. */
    private Path onServerDisk(String path) {
        return Path.of(java.net.URI.create(run.info().artifactUri())).resolve(path);
    }

    @Test
    @DisplayName("a 3 MB file goes up and comes back byte-identical, with the SHA-256 the server recorded")
    void roundTripWithChecksum() throws Exception {
        byte[] bytes = random(3 * 1024 * 1024 + 17, 1);
        ArtifactInfo info = repository.put("data/blob.bin", new ByteArrayInputStream(bytes));
        assertThat(info).isEqualTo(new ArtifactInfo("data/blob.bin", false, bytes.length, sha256(bytes)));
        assertThat(read(repository.open("data/blob.bin"))).isEqualTo(bytes);
        assertThat(Files.readAllBytes(onServerDisk("data/blob.bin"))).isEqualTo(bytes);
        assertThat(repository.stat("data/blob.bin")).isEqualTo(info);
        assertThat(repository.stat("data").isDirectory()).isTrue();
        assertThat(repository.list("")).containsExactly(new ArtifactInfo("data", true, 0, null));
        assertThat(repository.list("data")).containsExactly(info);
        assertThat(repository.exists("data/blob.bin")).isTrue();
        assertThat(repository.exists("data/other.bin")).isFalse();
        assertThat(catchThrowableOfType(CairnException.class, () -> repository.stat("nothing")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(repository.rootUri()).isEqualTo("runs:/" + run.info().runId());
    }

    @Test
    @DisplayName("the remote metadata store reaches a run's artifacts through the server, not at the artifact URI it is told")
    void theRemoteStoresRunArtifactsGoThroughTheServer() throws Exception {
        // The URI names the server's own disk: a client on another machine writing there would keep the files to itself.
        assertThat(run.info().artifactUri()).startsWith("file:");
        ArtifactRepository through = cairn.metadataStore().runArtifacts(run.info());
        assertThat(through.rootUri()).isEqualTo("runs:/" + run.info().runId());
        byte[] bytes = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
        through.put("reports/check.json", new ByteArrayInputStream(bytes));
        assertThat(Files.readAllBytes(onServerDisk("reports/check.json"))).isEqualTo(bytes);
    }

    @Test
    @DisplayName("a child repository sees paths relative to itself")
    void childRepositories() {
        ArtifactRepository model = repository.child("model");
        model.put("model.yaml", new ByteArrayInputStream("format: linear\n".getBytes(StandardCharsets.UTF_8)));
        model.child("assets").put("vocab.txt", new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(model.list("")).extracting(ArtifactInfo::path, ArtifactInfo::isDirectory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("assets", true), org.assertj.core.groups.Tuple.tuple("model.yaml", false));
        assertThat(model.child("assets").list("")).extracting(ArtifactInfo::path).containsExactly("vocab.txt");
        assertThat(repository.list("model/assets")).extracting(ArtifactInfo::path).containsExactly("model/assets/vocab.txt");
        assertThat(new String(read(repository.open("model/assets/vocab.txt")), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
        assertThat(model.rootUri()).isEqualTo("runs:/" + run.info().runId() + "/model");
    }

    @Test
    @DisplayName("delete removes a file or a whole directory, and is quiet when the path is absent")
    void deleteFilesAndDirectories() {
        repository.put("keep.txt", new ByteArrayInputStream(new byte[] {1}));
        repository.put("dir/a.txt", new ByteArrayInputStream(new byte[] {2}));
        repository.put("dir/sub/b.txt", new ByteArrayInputStream(new byte[] {3}));
        repository.delete("dir/a.txt");
        assertThat(repository.exists("dir/a.txt")).isFalse();
        assertThat(repository.exists("dir/sub/b.txt")).isTrue();
        repository.child("dir").delete("sub");
        assertThat(repository.exists("dir/sub")).isFalse();
        repository.delete("never-there");
        assertThat(repository.list("")).extracting(ArtifactInfo::path).contains("keep.txt");
        assertThat(Files.exists(onServerDisk("dir/sub/b.txt"))).isFalse();
    }

    @Test
    @DisplayName("bytes changed on the server's disk are DATA_LOSS when read, never returned as the file")
    void tamperedFileIsDataLoss() throws Exception {
        byte[] bytes = "the model's weights".getBytes(StandardCharsets.UTF_8);
        repository.put("weights.bin", new ByteArrayInputStream(bytes));
        byte[] tampered = bytes.clone();
        tampered[0] = 'T';
        Files.write(onServerDisk("weights.bin"), tampered);
        CairnException e = catchThrowableOfType(CairnException.class, () -> read(repository.open("weights.bin")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
    }

    @Test
    @DisplayName("a large tampered file is cut short by the server and the client's stream raises DATA_LOSS at its end")
    void largeTamperedFileIsDataLoss() throws Exception {
        byte[] bytes = random(512 * 1024, 2);
        repository.put("big.bin", new ByteArrayInputStream(bytes));
        byte[] tampered = bytes.clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(onServerDisk("big.bin"), tampered);
        CairnException e = catchThrowableOfType(CairnException.class, () -> read(repository.open("big.bin")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
    }

    @Test
    @DisplayName("paths that leave the root are refused with INVALID_PARAMETER_VALUE before any request")
    void badPathsAreRefused() {
        for (String bad : List.of("../escape.txt", "/etc/passwd", "a/../../b", "a\\b", "s3://bucket/x")) {
            CairnException e = catchThrowableOfType(CairnException.class, () -> repository.put(bad, new ByteArrayInputStream(new byte[1])));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.code()).as(bad).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        }
        assertThat(repository.list("")).isEmpty();
    }

    @Test
    @DisplayName("a multipart upload takes parts in any order, can be resumed by id, and is written whole on complete")
    void multipartUpload() throws Exception {
        byte[] first = random(300_000, 3);
        byte[] second = random(1234, 4);
        ArtifactRepository.MultipartUpload upload = repository.startMultipart("parts/data.bin");
        upload.putPart(2, new ByteArrayInputStream(second));
        assertThat(repository.exists("parts/data.bin")).as("nothing visible before complete").isFalse();
        ArtifactRepository.MultipartUpload resumed = cairn.artifacts(run.info().runId()).resumeMultipart("parts/data.bin", upload.uploadId());
        resumed.putPart(1, new ByteArrayInputStream(first));
        ArtifactInfo info = resumed.complete();
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        assertThat(info).isEqualTo(new ArtifactInfo("parts/data.bin", false, whole.length, sha256(whole)));
        assertThat(read(repository.open("parts/data.bin"))).isEqualTo(whole);

        try (ArtifactRepository.MultipartUpload abandoned = repository.startMultipart("parts/abandoned.bin")) {
            abandoned.putPart(1, new ByteArrayInputStream(first));
        }
        assertThat(repository.exists("parts/abandoned.bin")).as("closing without complete aborts").isFalse();
    }

    @Test
    @DisplayName("the server's artifact root is a repository too, over the MLflow artifact API")
    void rootRepository() throws Exception {
        ArtifactRepository root = cairn.artifactRoot();
        byte[] bytes = random(70_000, 5);
        ArtifactInfo info = root.put("shared/table.bin", new ByteArrayInputStream(bytes));
        assertThat(info).isEqualTo(new ArtifactInfo("shared/table.bin", false, bytes.length, sha256(bytes)));
        assertThat(Files.readAllBytes(server.artifactDir.resolve("shared/table.bin"))).isEqualTo(bytes);
        assertThat(read(root.open("shared/table.bin"))).isEqualTo(bytes);
        assertThat(root.child("shared").list("")).extracting(ArtifactInfo::path, ArtifactInfo::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("table.bin", (long) bytes.length));
        repository.put("in-run.txt", new ByteArrayInputStream(new byte[] {7}));
        String runUnderRoot = server.artifactDir.relativize(onServerDisk("")).toString();
        assertThat(root.exists(runUnderRoot + "/in-run.txt")).isTrue();
        root.delete("shared");
        assertThat(root.exists("shared/table.bin")).isFalse();
    }
}

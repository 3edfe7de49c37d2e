package dev.cairn.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Local directory artifact repository")
class LocalArtifactRepositoryTest extends ArtifactRepositoryContractTest {
    @TempDir
    Path temp;
    Path root;
    LocalArtifactRepository repository;

    @BeforeEach
    void setUp() {
        root = temp.resolve("artifacts");
        repository = new LocalArtifactRepository(root);
    }

    @Override
    protected ArtifactRepository repository() {
        return repository;
    }

    @Override
    protected void tamper(String path, byte[] bytes) throws Exception {
        Files.write(root.resolve(path), bytes);
    }

    @Override
    protected void assertNothingStored() throws Exception {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> !p.equals(root)).map(root::relativize).map(Path::toString).toList()).isEmpty();
        }
    }

    @Override
    protected boolean listingsCarryDigests() {
        return true;
    }

    @Test
    @DisplayName("a file is stored at its own path, its directory holds nothing else, and its record in the root's checksum store is sha256sum's format")
    void storageLayout() throws Exception {
        byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        ArtifactInfo info = repository.put("data/table.csv", new ByteArrayInputStream(content));

        assertThat(Files.readAllBytes(root.resolve("data/table.csv"))).isEqualTo(content);
        try (Stream<Path> entries = Files.list(root.resolve("data"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("table.csv");
        }
        assertThat(Files.readString(root.resolve(".cairn-checksums/data/table.csv"))).isEqualTo(info.sha256() + "  table.csv\n");
        assertThat(repository.list("")).extracting(ArtifactInfo::path).containsExactly("data");
        assertThat(repository.list("data")).extracting(ArtifactInfo::path).containsExactly("data/table.csv");
    }

    @Test
    @DisplayName("a symbolic link whose real path leaves the root is refused for every operation")
    void symlinkOutsideRootRefused() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("secret-link.txt"), outside.resolve("secret.txt"));

        List<Runnable> operations = List.of(
                () -> repository.open("escape/secret.txt"),
                () -> repository.open("secret-link.txt"),
                () -> repository.put("escape/new.txt", new ByteArrayInputStream(new byte[] {1})),
                () -> repository.list("escape"),
                () -> repository.stat("escape/secret.txt"),
                () -> repository.delete("escape"),
                () -> repository.child("escape"),
                () -> repository.startMultipart("escape/big.bin"));
        for (Runnable operation : operations) {
            CairnException e = catchThrowableOfType(CairnException.class, operation::run);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains("symbolic link");
        }
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
        assertThat(repository.list("")).as("links leading outside are not listed").isEmpty();
    }

    @Test
    @DisplayName("a symbolic link that stays inside the root is followed")
    void symlinkInsideRootAllowed() throws Exception {
        repository.put("real/a.txt", new ByteArrayInputStream("inside".getBytes(StandardCharsets.UTF_8)));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertThat(readAll(repository.open("alias/a.txt"))).isEqualTo("inside".getBytes(StandardCharsets.UTF_8));
        assertThat(repository.list("alias")).extracting(ArtifactInfo::path).containsExactly("alias/a.txt");
    }

    @Test
    @DisplayName("file: URIs in their usual spellings and plain paths open the same directory")
    void uriForms() {
        String abs = root.toAbsolutePath().toString();
        for (String uri : List.of("file:" + abs, "file://" + abs, "file://localhost" + abs, abs)) {
            LocalArtifactRepository repo = LocalArtifactRepository.fromUri(uri);
            assertThat(repo.rootPath()).as(uri).isEqualTo(root.toAbsolutePath());
            assertThat(repo.rootUri()).isEqualTo("file://" + abs);
        }
        assertThat(catchThrowableOfType(CairnException.class, () -> LocalArtifactRepository.fromUri("file://otherhost/x")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("the file provider is registered for ServiceLoader under the 'file' scheme")
    void providerRegistered() throws Exception {
        var provider = ServiceLoader.load(dev.cairn.core.store.ArtifactRepositoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("file"))
                .findFirst().orElseThrow();
        ArtifactRepository repo = provider.open(root.toUri().toString());
        repo.put("x.txt", new ByteArrayInputStream(new byte[] {42}));
        assertThat(Files.readAllBytes(root.resolve("x.txt"))).containsExactly(42);
    }

    @Test
    @DisplayName("Stores.openArtifacts reaches this repository for a plain path and for a file: URI")
    void openedThroughStores() {
        repository.put("seen.txt", new ByteArrayInputStream(new byte[] {5}));
        for (String uri : List.of(root.toString(), root.toUri().toString())) {
            ArtifactRepository opened = dev.cairn.core.store.Stores.openArtifacts(uri);
            assertThat(opened).isInstanceOf(LocalArtifactRepository.class);
            assertThat(opened.stat("seen.txt").sha256()).isEqualTo(Sha256.of(new byte[] {5}));
        }
    }

    @Test
    @DisplayName("a file with no digest record (not written by Cairn) is still readable but reports no digest")
    void fileWithoutRecord() throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("foreign.txt"), "copied in by hand");
        assertThat(repository.stat("foreign.txt").sha256()).isNull();
        assertThat(readAll(repository.open("foreign.txt"))).isEqualTo("copied in by hand".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a put over a directory, or below a file, is refused without touching either")
    void fileDirectoryClash() {
        repository.put("d/x.txt", new ByteArrayInputStream(new byte[] {1}));
        assertThat(catchThrowableOfType(CairnException.class,
                () -> repository.put("d", new ByteArrayInputStream(new byte[] {2}))).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(catchThrowableOfType(CairnException.class,
                () -> repository.put("d/x.txt/y", new ByteArrayInputStream(new byte[] {2}))).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(repository.stat("d/x.txt").size()).isEqualTo(1);
    }

    @Test
    @DisplayName("removeLeftovers deletes stale temporaries and abandoned uploads, and keeps fresh ones and real files")
    void removeLeftoversDeletesWhatAKilledWriterLeft() throws Exception {
        repository.put("models/m/model.bin", new java.io.ByteArrayInputStream("weights".getBytes()));
        var old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        // A killed put: a temporary beside its target, in a directory created for it.
        Path staleTemp = Files.createDirectories(root.resolve("runs/r1")).resolve(".cairn-tmp-0123456789abcdef01234567");
        Files.writeString(staleTemp, "partial");
        Files.setLastModifiedTime(staleTemp, old);
        Path freshTemp = root.resolve("models/m/.cairn-tmp-fedcba9876543210fedcba98");
        Files.writeString(freshTemp, "in progress elsewhere");
        // An abandoned multipart upload and one still being written.
        var abandoned = repository.startMultipart("big/file.bin");
        abandoned.putPart(1, new java.io.ByteArrayInputStream("part".getBytes()));
        Path abandonedDir = root.resolve(".cairn-uploads").resolve(abandoned.uploadId());
        try (Stream<Path> files = Files.walk(abandonedDir)) {
            for (Path p : files.toList()) Files.setLastModifiedTime(p, old);
        }
        var active = repository.startMultipart("big/other.bin");
        Path activeDir = root.resolve(".cairn-uploads").resolve(active.uploadId());
        Files.setLastModifiedTime(activeDir, old); // the directory is old, but a part inside is new
        active.putPart(1, new java.io.ByteArrayInputStream("part".getBytes()));

        assertThat(repository.removeLeftovers(java.time.Duration.ofHours(1))).isEqualTo(2);

        assertThat(staleTemp).doesNotExist();
        assertThat(root.resolve("runs")).as("a directory made only for the killed write goes too").doesNotExist();
        assertThat(abandonedDir).doesNotExist();
        assertThat(freshTemp).exists();
        assertThat(activeDir).exists();
        assertThat(new String(repository.open("models/m/model.bin").readAllBytes())).isEqualTo("weights");
        active.putPart(2, new java.io.ByteArrayInputStream("more".getBytes()));
        active.complete();
        assertThat(new String(repository.open("big/other.bin").readAllBytes())).isEqualTo("partmore");
    }
}

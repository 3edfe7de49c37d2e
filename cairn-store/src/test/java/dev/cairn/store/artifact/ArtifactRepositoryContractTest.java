package dev.cairn.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ArtifactRepository} must do, run against each backend by a subclass that
 * provides a fresh, empty repository and a way to change stored bytes behind its back.
 */
abstract class ArtifactRepositoryContractTest {
    static final int MIB = 1024 * 1024;

    /** A fresh, empty repository for this test. */
    protected abstract ArtifactRepository repository();

    /** Overwrites the stored bytes of {@code path} without going through the repository (keeping any digest record). */
    protected abstract void tamper(String path, byte[] bytes) throws Exception;

    /** Fails unless the backing storage holds nothing at all: no files, hidden parts or pending uploads. */
    protected abstract void assertNothingStored() throws Exception;

    /** Whether {@link ArtifactRepository#list} fills in each file's digest. */
    protected abstract boolean listingsCarryDigests();

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    @Test
    @DisplayName("a file put in comes back byte for byte, with its size and SHA-256 recorded")
    void roundTripWithDigest() throws IOException {
        ArtifactRepository repo = repository();
        byte[] content = randomBytes(300_000, 1);

        ArtifactInfo written = repo.put("model/weights.bin", new ByteArrayInputStream(content));

        assertThat(written).isEqualTo(new ArtifactInfo("model/weights.bin", false, content.length, Sha256.of(content)));
        assertThat(readAll(repo.open("model/weights.bin"))).isEqualTo(content);
        assertThat(repo.stat("model/weights.bin")).isEqualTo(written);
        assertThat(repo.exists("model/weights.bin")).isTrue();
    }

    @Test
    @DisplayName("an empty file is stored and read back with the digest of no bytes")
    void emptyFile() throws IOException {
        ArtifactRepository repo = repository();
        ArtifactInfo written = repo.put("empty.txt", InputStream.nullInputStream());
        assertThat(written.size()).isZero();
        assertThat(written.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(readAll(repo.open("empty.txt"))).isEmpty();
    }

    @Test
    @DisplayName("putting to an existing path replaces its content and its digest")
    void overwrite() throws IOException {
        ArtifactRepository repo = repository();
        repo.put("notes.txt", new ByteArrayInputStream("first".getBytes(StandardCharsets.UTF_8)));
        ArtifactInfo second = repo.put("notes.txt", new ByteArrayInputStream("second version".getBytes(StandardCharsets.UTF_8)));

        assertThat(new String(readAll(repo.open("notes.txt")), StandardCharsets.UTF_8)).isEqualTo("second version");
        assertThat(repo.stat("notes.txt").sha256()).isEqualTo(second.sha256())
                .isEqualTo(Sha256.of("second version".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("list shows the immediate children of a directory, directories included, sorted")
    void listing() {
        ArtifactRepository repo = repository();
        repo.put("a.txt", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        repo.put("dir/b.txt", new ByteArrayInputStream(new byte[] {4}));
        repo.put("dir/sub/c.txt", new ByteArrayInputStream(new byte[] {5, 6}));

        assertThat(repo.list("")).extracting(ArtifactInfo::path, ArtifactInfo::isDirectory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.txt", false), org.assertj.core.groups.Tuple.tuple("dir", true));
        List<ArtifactInfo> dir = repo.list("dir");
        assertThat(dir).extracting(ArtifactInfo::path, ArtifactInfo::isDirectory, ArtifactInfo::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dir/b.txt", false, 1L),
                        org.assertj.core.groups.Tuple.tuple("dir/sub", true, 0L));
        assertThat(repo.list("dir/")).isEqualTo(dir);
        if (listingsCarryDigests()) assertThat(dir.get(0).sha256()).isEqualTo(Sha256.of(new byte[] {4}));
        assertThat(repo.list("dir/sub")).extracting(ArtifactInfo::path).containsExactly("dir/sub/c.txt");
        assertThat(repo.list("missing")).isEmpty();
        assertThat(repo.list("a.txt")).isEmpty();
    }

    @Test
    @DisplayName("nested directories can be stat'ed and tested for existence; a missing path is RESOURCE_DOES_NOT_EXIST")
    void nestedDirectories() {
        ArtifactRepository repo = repository();
        repo.put("x/y/z/deep.txt", new ByteArrayInputStream(new byte[] {9}));

        assertThat(repo.stat("x/y")).isEqualTo(new ArtifactInfo("x/y", true, 0, null));
        assertThat(repo.exists("x")).isTrue();
        assertThat(repo.exists("x/y/z/deep.txt")).isTrue();
        assertThat(repo.exists("x/nope")).isFalse();
        CairnException missing = catchThrowableOfType(CairnException.class, () -> repo.stat("x/nope"));
        assertThat(missing.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(missing.getMessage()).contains("x/nope");
        assertThat(catchThrowableOfType(CairnException.class, () -> repo.open("x/nope.bin")).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("bytes changed behind the repository's back raise DATA_LOSS naming the path and both digests")
    void tamperDetection() throws Exception {
        ArtifactRepository repo = repository();
        byte[] original = randomBytes(50_000, 2);
        ArtifactInfo written = repo.put("data/train.csv", new ByteArrayInputStream(original));
        byte[] tampered = original.clone();
        tampered[25_000] ^= 0x01;

        tamper("data/train.csv", tampered);

        InputStream in = repo.open("data/train.csv");
        CairnException e = catchThrowableOfType(CairnException.class, () -> readAll(in));
        assertThat(e).as("reading tampered bytes must fail").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(e.getMessage()).contains("data/train.csv", written.sha256(), Sha256.of(tampered));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"../escape.txt", "a/../../escape.txt", "a/..", "/etc/passwd", "a\\b.txt", "..\\x",
            "a\0b", ".cairn-sha256-x", "dir/.cairn-uploads/x", "C:"})
    @DisplayName("paths that could leave the root or touch internal files are refused with INVALID_PARAMETER_VALUE")
    void traversalRefused(String path) {
        ArtifactRepository repo = repository();
        List<Runnable> operations = List.of(
                () -> repo.put(path, new ByteArrayInputStream(new byte[] {1})),
                () -> repo.open(path),
                () -> repo.list(path),
                () -> repo.stat(path),
                () -> repo.exists(path),
                () -> repo.delete(path),
                () -> repo.child(path),
                () -> repo.startMultipart(path));
        for (Runnable operation : operations) {
            CairnException e = catchThrowableOfType(CairnException.class, operation::run);
            assertThat(e).as("an operation on %s", path).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains("path");
            assertThat(e.details().get("value").toString()).contains(path.replace("\0", "\\0"));
        }
    }

    @Test
    @DisplayName("a put whose input fails midway leaves nothing behind, and an existing file unchanged")
    void failedStreamLeavesNothing() throws Exception {
        ArtifactRepository repo = repository();
        assertThatThrownBy(() -> repo.put("out/big.bin", failingAfter(3 * MIB)))
                .isInstanceOf(CairnException.class).hasMessageContaining("out/big.bin");
        assertThat(repo.exists("out/big.bin")).isFalse();
        assertThat(repo.list("")).isEmpty();
        assertNothingStored();

        byte[] kept = randomBytes(1000, 3);
        repo.put("keep.bin", new ByteArrayInputStream(kept));
        assertThatThrownBy(() -> repo.put("keep.bin", failingAfter(200_000))).isInstanceOf(CairnException.class);
        assertThat(readAll(repo.open("keep.bin"))).isEqualTo(kept);
        assertThat(repo.stat("keep.bin").sha256()).isEqualTo(Sha256.of(kept));
    }

    @Test
    @DisplayName("multipart parts sent out of order (and through a resumed handle) complete into the file in part order")
    void multipartOutOfOrder() throws IOException {
        ArtifactRepository repo = repository();
        byte[] part1 = randomBytes(5 * MIB, 11);
        byte[] part2 = randomBytes(5 * MIB, 12);
        byte[] part3 = randomBytes(1234, 13);

        ArtifactRepository.MultipartUpload upload = repo.startMultipart("models/big.onnx");
        upload.putPart(3, new ByteArrayInputStream(part3));
        upload.putPart(1, new ByteArrayInputStream(part1));
        assertThat(repo.exists("models/big.onnx")).isFalse();
        assertThat(repo.list("")).isEmpty();

        ArtifactRepository.MultipartUpload resumed = repo.resumeMultipart("models/big.onnx", upload.uploadId());
        resumed.putPart(2, new ByteArrayInputStream(part2));
        ArtifactInfo info = resumed.complete();

        byte[] whole = concat(part1, part2, part3);
        assertThat(info).isEqualTo(new ArtifactInfo("models/big.onnx", false, whole.length, Sha256.of(whole)));
        assertThat(repo.stat("models/big.onnx")).isEqualTo(info);
        assertThat(Arrays.equals(readAll(repo.open("models/big.onnx")), whole)).isTrue();
        assertThat(repo.list("")).extracting(ArtifactInfo::path).containsExactly("models");
        assertThat(repo.list("models")).extracting(ArtifactInfo::path).containsExactly("models/big.onnx");
        upload.close(); // closing a completed upload's other handle must not remove anything
        assertThat(repo.exists("models/big.onnx")).isTrue();
    }

    @Test
    @DisplayName("a part whose stream fails midway is not kept: sent again, the upload completes with whole parts only")
    void failedPartIsNotKept() throws IOException {
        ArtifactRepository repo = repository();
        byte[] part1 = randomBytes(5 * MIB, 71);
        byte[] part2 = randomBytes(777, 72);
        try (ArtifactRepository.MultipartUpload upload = repo.startMultipart("retry.bin")) {
            upload.putPart(1, new ByteArrayInputStream(part1));
            assertThatThrownBy(() -> upload.putPart(2, failingAfter(100_000))).isInstanceOf(CairnException.class);
            upload.putPart(2, new ByteArrayInputStream(part2));
            assertThat(upload.complete().sha256()).isEqualTo(Sha256.of(concat(part1, part2)));
        }
        assertThat(Arrays.equals(readAll(repo.open("retry.bin")), concat(part1, part2))).isTrue();
    }

    @Test
    @DisplayName("aborting a multipart upload leaves nothing, and its id can no longer be resumed")
    void abortLeavesNothing() throws Exception {
        ArtifactRepository repo = repository();
        String uploadId;
        try (ArtifactRepository.MultipartUpload upload = repo.startMultipart("tmp/aborted.bin")) {
            uploadId = upload.uploadId();
            upload.putPart(1, new ByteArrayInputStream(randomBytes(5 * MIB, 21)));
            upload.putPart(2, new ByteArrayInputStream(randomBytes(100, 22)));
            upload.abort();
        }
        assertThat(repo.exists("tmp/aborted.bin")).isFalse();
        assertThat(repo.list("")).isEmpty();
        assertNothingStored();
        CairnException e = catchThrowableOfType(CairnException.class, () -> repo.resumeMultipart("tmp/aborted.bin", uploadId));
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("completing an upload without parts is INVALID_STATE; bad part numbers and upload ids are refused")
    void multipartMisuse() {
        ArtifactRepository repo = repository();
        ArtifactRepository.MultipartUpload upload = repo.startMultipart("m.bin");
        assertThat(catchThrowableOfType(CairnException.class, upload::complete).code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(catchThrowableOfType(CairnException.class, () -> upload.putPart(0, InputStream.nullInputStream())).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(catchThrowableOfType(CairnException.class, () -> upload.putPart(10_001, InputStream.nullInputStream())).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(catchThrowableOfType(CairnException.class, () -> repo.resumeMultipart("m.bin", "../../etc")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        CairnException otherPath = catchThrowableOfType(CairnException.class, () -> repo.resumeMultipart("other.bin", upload.uploadId()));
        assertThat(otherPath.code()).isIn(ErrorCode.INVALID_PARAMETER_VALUE, ErrorCode.RESOURCE_DOES_NOT_EXIST);
        upload.abort();
        assertThat(repo.list("")).isEmpty();
    }

    @Test
    @DisplayName("delete removes a file or a whole directory tree, and is silent when the path is absent")
    void deleteRecursive() {
        ArtifactRepository repo = repository();
        repo.put("dir/a.txt", new ByteArrayInputStream(new byte[] {1}));
        repo.put("dir/sub/b.txt", new ByteArrayInputStream(new byte[] {2}));
        repo.put("other.txt", new ByteArrayInputStream(new byte[] {3}));

        repo.delete("dir");
        assertThat(repo.exists("dir")).isFalse();
        assertThat(repo.exists("dir/sub/b.txt")).isFalse();
        assertThat(repo.list("")).extracting(ArtifactInfo::path).containsExactly("other.txt");

        repo.delete("dir");
        repo.delete("other.txt");
        assertThat(repo.list("")).isEmpty();
    }

    @Test
    @DisplayName("child() is a repository rooted at a sub-directory: the parent sees what it writes, and it cannot escape")
    void childRepository() throws IOException {
        ArtifactRepository repo = repository();
        ArtifactRepository run = repo.child("runs/r1/artifacts");
        ArtifactInfo written = run.put("model/m.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(written.path()).isEqualTo("model/m.txt");
        assertThat(run.rootUri()).isEqualTo(repo.rootUri() + "/runs/r1/artifacts");
        assertThat(repo.stat("runs/r1/artifacts/model/m.txt").sha256()).isEqualTo(written.sha256());
        assertThat(readAll(repo.open("runs/r1/artifacts/model/m.txt"))).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(run.list("")).extracting(ArtifactInfo::path).containsExactly("model");
        assertThat(catchThrowableOfType(CairnException.class, () -> run.open("../../r2/secret")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);

        try (ArtifactRepository.MultipartUpload upload = run.startMultipart("big.bin")) {
            upload.putPart(1, new ByteArrayInputStream(new byte[] {7, 7}));
            assertThat(upload.complete().size()).isEqualTo(2);
        }
        assertThat(repo.exists("runs/r1/artifacts/big.bin")).isTrue();

        repo.delete("runs/r1");
        assertThat(run.list("")).isEmpty();
    }

    /** A stream that yields {@code size} bytes and then fails, like a client that disconnects. */
    static InputStream failingAfter(int size) {
        return new InputStream() {
            private int remaining = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (remaining <= 0) throw new IOException("connection reset by peer");
                int n = Math.min(length, remaining);
                Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                remaining -= n;
                return n;
            }
        };
    }
}

package dev.cairn.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@DisplayName("S3 artifact repository (against s3proxy)")
class S3ArtifactRepositoryTest extends ArtifactRepositoryContractTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    S3Client s3;
    String bucket;
    S3ArtifactRepository repository;

    @BeforeEach
    void setUp() {
        s3 = S3TestServer.client();
        bucket = "cairn-test-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        repository = new S3ArtifactRepository(s3, bucket, "experiments/1");
    }

    @Override
    protected ArtifactRepository repository() {
        return repository;
    }

    @Override
    protected void tamper(String path, byte[] bytes) {
        String key = "experiments/1/" + path;
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(head.metadata()), RequestBody.fromBytes(bytes));
    }

    @Override
    protected void assertNothingStored() {
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Override
    protected boolean listingsCarryDigests() {
        return false;
    }

    @Test
    @DisplayName("objects live under the prefix with their SHA-256 as user metadata")
    void storageLayout() {
        ArtifactInfo info = repository.put("model/m.bin", new ByteArrayInputStream("weights".getBytes(StandardCharsets.UTF_8)));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("experiments/1/model/m.bin"));
        assertThat(head.metadata()).containsEntry("sha256", info.sha256());
        assertThat(repository.rootUri()).isEqualTo("s3://" + bucket + "/experiments/1");
    }

    @Test
    @DisplayName("content over the single-PUT limit is uploaded in parts, spilled to disk, with its digest set at the start")
    void largePutGoesMultipart() throws Exception {
        var limits = new S3ArtifactRepository.Limits(6L * MIB, 5L * MIB, 5L * 1024 * MIB, MIB);
        S3ArtifactRepository small = new S3ArtifactRepository(s3, bucket, "p", limits);
        byte[] content = randomBytes(11 * MIB + 17, 31);

        ArtifactInfo info = small.put("big.bin", new ByteArrayInputStream(content));

        assertThat(info.sha256()).isEqualTo(Sha256.of(content));
        assertThat(small.stat("big.bin")).isEqualTo(info);
        assertThat(readAll(small.open("big.bin"))).isEqualTo(content);
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    @DisplayName("content over the memory threshold is spilled to a temporary file and still sent in one PUT")
    void spilledSinglePut() throws Exception {
        var limits = new S3ArtifactRepository.Limits(64L * MIB, 5L * MIB, 5L * 1024 * MIB, MIB);
        S3ArtifactRepository small = new S3ArtifactRepository(s3, bucket, "spill", limits);
        byte[] content = randomBytes(3 * MIB + 5, 61);

        ArtifactInfo info = small.put("medium.bin", new ByteArrayInputStream(content));

        assertThat(info.sha256()).isEqualTo(Sha256.of(content));
        assertThat(readAll(small.open("medium.bin"))).isEqualTo(content);
    }

    @Test
    @DisplayName("a completed multipart upload over the single-copy limit is moved into place by a multipart copy")
    void multipartCopyForLargeUploads() throws Exception {
        var limits = new S3ArtifactRepository.Limits(64L * MIB, 5L * MIB, 5L * MIB, MIB);
        S3ArtifactRepository small = new S3ArtifactRepository(s3, bucket, "", limits);
        byte[] part1 = randomBytes(6 * MIB, 41);
        byte[] part2 = randomBytes(3 * MIB, 42);
        ArtifactRepository.MultipartUpload upload = small.startMultipart("huge.bin");
        upload.putPart(2, new ByteArrayInputStream(part2));
        upload.putPart(1, new ByteArrayInputStream(part1));
        ArtifactInfo info = upload.complete();

        byte[] whole = concat(part1, part2);
        assertThat(info.sha256()).isEqualTo(Sha256.of(whole));
        assertThat(readAll(small.open("huge.bin"))).isEqualTo(whole);
        assertThat(s3.headObject(b -> b.bucket(bucket).key("huge.bin")).metadata()).containsEntry("sha256", info.sha256());
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(o -> o.key()).containsExactly("huge.bin");
    }

    @Test
    @DisplayName("a part under 5 MiB before the last is refused at completion, as S3 requires, and the upload stays open")
    void minimumPartSize() throws Exception {
        ArtifactRepository.MultipartUpload upload = repository.startMultipart("small-parts.bin");
        upload.putPart(1, new ByteArrayInputStream(randomBytes(1000, 51)));
        upload.putPart(2, new ByteArrayInputStream(randomBytes(1000, 52)));

        CairnException e = catchThrowableOfType(CairnException.class, upload::complete);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("5 MiB");
        assertThat(repository.exists("small-parts.bin")).isFalse();

        byte[] first = randomBytes(5 * MIB, 53);
        upload.putPart(1, new ByteArrayInputStream(first));
        ArtifactInfo info = upload.complete();
        assertThat(info.size()).isEqualTo(5L * MIB + 1000);
    }

    @Test
    @DisplayName("the provider reads the endpoint, region and keys from the environment, MLflow's variable as fallback")
    void providerFromEnvironment() throws Exception {
        Map<String, String> env = Map.of(
                "MLFLOW_S3_ENDPOINT_URL", S3TestServer.endpoint(),
                "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
        var provider = new S3ArtifactRepositoryProvider(env::get);
        assertThat(provider.settings().region()).isEqualTo("us-east-1");
        assertThat(provider.schemes()).containsExactly("s3");

        ArtifactRepository repo = provider.open("s3://" + bucket + "/runs/abc");
        repo.put("x.txt", new ByteArrayInputStream("via env".getBytes(StandardCharsets.UTF_8)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("runs/abc/x.txt")).asUtf8String()).isEqualTo("via env");

        var cairnFirst = new S3ArtifactRepositoryProvider(Map.of(
                "CAIRN_S3_ENDPOINT_URL", "http://cairn.example:9000",
                "MLFLOW_S3_ENDPOINT_URL", "http://mlflow.example:9000",
                "AWS_REGION", "eu-west-3")::get);
        assertThat(cairnFirst.settings().endpoint()).isEqualTo("http://cairn.example:9000");
        assertThat(cairnFirst.settings().region()).isEqualTo("eu-west-3");
    }

    @Test
    @DisplayName("bad s3 URIs and a missing bucket give clear errors")
    void badLocations() {
        assertThat(catchThrowableOfType(CairnException.class, () -> S3ArtifactRepository.fromUri("s3:///prefix", s3)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(catchThrowableOfType(CairnException.class, () -> S3ArtifactRepository.fromUri("s3://b/../x", s3)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        S3ArtifactRepository missing = S3ArtifactRepository.fromUri("s3://no-such-bucket-here/x", s3);
        CairnException e = catchThrowableOfType(CairnException.class, () -> missing.list(""));
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(e.getMessage()).contains("s3://no-such-bucket-here/x");
    }
}

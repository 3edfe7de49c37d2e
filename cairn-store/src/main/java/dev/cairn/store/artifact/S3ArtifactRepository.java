package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.hash.VerifyingInputStream;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts under {@code s3://bucket/prefix}: a file {@code a/b.bin} is the object
 * {@code prefix/a/b.bin}, and directories are the key prefixes in between (S3 has no directories;
 * an empty one cannot exist). The SHA-256 of each object is its user metadata {@code sha256}
 * ({@code x-amz-meta-sha256}), set in the same request that makes the object visible, so an
 * object and its digest appear together.
 *
 * <p>{@link #put} reads the caller's stream to its end first (see {@link SpooledContent}), then
 * sends one PUT, or for content over {@link Limits#singlePutMax} a multipart upload whose digest
 * metadata is known when it starts; either way the object appears whole or not at all. Listings
 * come from ListObjectsV2, which carries no user metadata: {@link #list} leaves {@code sha256}
 * null for files (one HEAD per file would make listing a large directory slow); {@link #stat}
 * reads it. An object written by another tool, with no {@code sha256} metadata, is read unverified.
 * Unlike a local directory, S3 lets a file and a directory share a name ({@code a} and
 * {@code a/b}); this repository does not spend a request per write to forbid it.
 */
public final class S3ArtifactRepository implements ArtifactRepository {
    static final String SHA256_METADATA = "sha256";
    static final String UPLOADS_DIRECTORY = LocalArtifactRepository.UPLOADS_DIRECTORY;
    static final long MIB = 1024L * 1024;

    /**
     * Size thresholds: content up to {@code singlePutMax} goes in one PUT (S3 allows 5 GiB);
     * larger content goes in parts of {@code partSize} (S3 requires at least 5 MiB for every part
     * but the last, and at most 10,000 parts); copies up to {@code singleCopyMax} use one
     * CopyObject (S3's limit is 5 GiB), larger ones a multipart copy.
     */
    record Limits(long singlePutMax, long partSize, long singleCopyMax, int memoryThreshold) {
        static final Limits DEFAULT = new Limits(64 * MIB, 64 * MIB, 5 * 1024 * MIB, (int) (8 * MIB));
    }

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Limits limits;

    /** A repository over {@code s3://bucket/prefix} through the given client (the caller owns and closes it). */
    public S3ArtifactRepository(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, Limits.DEFAULT);
    }

    S3ArtifactRepository(S3Client s3, String bucket, String prefix, Limits limits) {
        if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
            throw CairnException.invalid("bucket", bucket, "an S3 bucket name");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : ArtifactPaths.normalize(prefix);
        this.limits = limits;
    }

    /** A repository for {@code s3://bucket/prefix} through the given client. */
    public static S3ArtifactRepository fromUri(String rootUri, S3Client s3) {
        if (rootUri == null || !rootUri.startsWith("s3://")) {
            throw CairnException.invalid("artifact_uri", rootUri, "an s3://bucket/prefix URI");
        }
        String rest = rootUri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) throw CairnException.invalid("artifact_uri", rootUri, "an s3://bucket/prefix URI with a bucket");
        return new S3ArtifactRepository(s3, bucket, prefix);
    }

    @Override
    public String rootUri() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public ArtifactInfo put(String path, InputStream content) {
        String rel = ArtifactPaths.normalizeFile(path);
        String key = key(rel);
        try (SpooledContent spooled = SpooledContent.read(content, limits.memoryThreshold(), rel)) {
            Map<String, String> metadata = Map.of(SHA256_METADATA, spooled.sha256());
            try {
                if (spooled.size() <= limits.singlePutMax()) {
                    s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(spooled.size()),
                            spooled.body());
                } else {
                    uploadInParts(key, spooled, metadata);
                }
            } catch (SdkException e) {
                throw S3Errors.failure("write", location(rel), e);
            }
            return new ArtifactInfo(rel, false, spooled.size(), spooled.sha256());
        }
    }

    @Override
    public InputStream open(String path) {
        String rel = ArtifactPaths.normalizeFile(path);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key(rel)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e) && !"NoSuchBucket".equals(S3Errors.errorCode(e))) {
                throw CairnException.notFound("artifact", rel);
            }
            throw S3Errors.failure("read", location(rel), e);
        }
        String expected = in.response().metadata().get(SHA256_METADATA);
        return Sha256.isHex(expected) ? new VerifyingInputStream(in, "Artifact '" + location(rel) + "'", expected, -1) : in;
    }

    @Override
    public List<ArtifactInfo> list(String path) {
        String rel = ArtifactPaths.normalize(path);
        String directory = directoryPrefix(rel);
        List<ArtifactInfo> children = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(bucket).prefix(directory).delimiter("/").build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String name = common.prefix().substring(directory.length());
                    name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                    if (visible(name)) children.add(new ArtifactInfo(ArtifactPaths.join(rel, name), true, 0, null));
                }
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(directory.length());
                    if (visible(name)) children.add(new ArtifactInfo(ArtifactPaths.join(rel, name), false, object.size(), null));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.failure("list", location(rel), e);
        }
        children.sort(Comparator.comparing(ArtifactInfo::path));
        return List.copyOf(children);
    }

    @Override
    public ArtifactInfo stat(String path) {
        String rel = ArtifactPaths.normalize(path);
        if (!rel.isEmpty() || !prefix.isEmpty()) {
            HeadObjectResponse head = head(rel);
            if (head != null) {
                String sha256 = head.metadata().get(SHA256_METADATA);
                return new ArtifactInfo(rel, false, head.contentLength(), Sha256.isHex(sha256) ? sha256 : null);
            }
        }
        if (isDirectory(rel)) return new ArtifactInfo(rel, true, 0, null);
        throw CairnException.notFound("artifact", rel);
    }

    @Override
    public boolean exists(String path) {
        String rel = ArtifactPaths.normalize(path);
        return ((!rel.isEmpty() || !prefix.isEmpty()) && head(rel) != null) || isDirectory(rel);
    }

    @Override
    public void delete(String path) {
        String rel = ArtifactPaths.normalize(path);
        try {
            if (!rel.isEmpty()) s3.deleteObject(b -> b.bucket(bucket).key(key(rel)));
            List<ObjectIdentifier> batch = new ArrayList<>();
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(directoryPrefix(rel)).build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    batch.add(ObjectIdentifier.builder().key(object.key()).build());
                    if (batch.size() == 1000) deleteBatch(batch);
                }
            }
            deleteBatch(batch);
        } catch (SdkException e) {
            throw S3Errors.failure("delete", location(rel), e);
        }
    }

    @Override
    public ArtifactRepository child(String path) {
        String rel = ArtifactPaths.normalize(path);
        return rel.isEmpty() ? this : new S3ArtifactRepository(s3, bucket, key(rel), limits);
    }

    @Override
    public MultipartUpload startMultipart(String path) {
        return S3MultipartUpload.start(this, ArtifactPaths.normalizeFile(path));
    }

    @Override
    public MultipartUpload resumeMultipart(String path, String uploadId) {
        return S3MultipartUpload.resume(this, ArtifactPaths.normalizeFile(path), uploadId);
    }

    @Override
    public String toString() {
        return "S3ArtifactRepository[" + rootUri() + "]";
    }

    // ---- shared with S3MultipartUpload ----

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    Limits limits() {
        return limits;
    }

    /** The object key of a normalised relative path. */
    String key(String rel) {
        if (prefix.isEmpty()) return rel;
        return rel.isEmpty() ? prefix : prefix + "/" + rel;
    }

    String location(String rel) {
        return rel.isEmpty() ? rootUri() : rootUri() + "/" + rel;
    }

    /**
     * Copies {@code sourceKey} to {@code targetKey} with new metadata. Within S3 the target
     * appears atomically: CopyObject, or for objects over 5 GiB a multipart copy.
     */
    void copy(String sourceKey, String targetKey, long size, Map<String, String> metadata) {
        if (size <= limits.singleCopyMax()) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(sourceKey)
                    .destinationBucket(bucket).destinationKey(targetKey)
                    .metadata(metadata).metadataDirective(MetadataDirective.REPLACE));
            return;
        }
        long partSize = partSize(size, limits.singleCopyMax());
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(targetKey).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + partSize) - 1);
                int partNumber = number;
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(sourceKey)
                        .destinationBucket(bucket).destinationKey(targetKey)
                        .uploadId(uploadId).partNumber(partNumber).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(targetKey).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            abortQuietly(targetKey, uploadId);
            throw e;
        }
    }

    void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // Already gone, or S3's lifecycle rules will reap it; the object never became visible.
        }
    }

    /** The part size for {@code size} bytes: at least {@code preferred}, and few enough parts for S3's 10,000. */
    static long partSize(long size, long preferred) {
        return Math.max(preferred, (size + 9_999) / 10_000);
    }

    private void uploadInParts(String key, SpooledContent spooled, Map<String, String> metadata) {
        long partSize = partSize(spooled.size(), limits.partSize());
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < spooled.size(); offset += partSize, number++) {
                long length = Math.min(partSize, spooled.size() - offset);
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(length), spooled.range(offset, length)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    private String directoryPrefix(String rel) {
        String key = key(rel);
        return key.isEmpty() ? "" : key + "/";
    }

    private static boolean visible(String name) {
        return !name.isEmpty() && !ArtifactPaths.isReserved(name);
    }

    private HeadObjectResponse head(String rel) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key(rel)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return null;
            throw S3Errors.failure("stat", location(rel), e);
        }
    }

    private boolean isDirectory(String rel) {
        try {
            return s3.listObjectsV2(b -> b.bucket(bucket).prefix(directoryPrefix(rel)).maxKeys(1)).keyCount() > 0;
        } catch (SdkException e) {
            throw S3Errors.failure("stat", location(rel), e);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) {
        if (batch.isEmpty()) return;
        List<ObjectIdentifier> keys = List.copyOf(batch);
        batch.clear();
        s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
    }
}

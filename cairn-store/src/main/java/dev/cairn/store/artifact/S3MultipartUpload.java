package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A real S3 multipart upload. S3 requires every part but the last to be at least 5 MiB (checked
 * by S3 when the upload completes) and allows at most 10,000 parts.
 *
 * <p>The whole file's SHA-256 is known only once every part is in (parts arrive in any order), but
 * S3 fixes an object's metadata when the upload starts. So the parts are uploaded to a hidden
 * staging key {@code <root>/.cairn-uploads/<token>/<path>}; {@link #complete()} completes it
 * there, reads it back to compute the digest, copies it to the target key with the digest as
 * metadata (one atomic CopyObject, or a multipart copy over 5 GiB) and deletes the staging
 * object. Readers of the target see the whole object with its digest, or nothing. The upload id
 * handed out is {@code <token>.<S3 upload id>}; the staging key is rebuilt from it and the path, so
 * resuming with a different path finds no such upload.
 */
final class S3MultipartUpload implements ArtifactRepository.MultipartUpload {
    static final int MAX_PART_NUMBER = 10_000;
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{24}");

    private final S3ArtifactRepository repository;
    private final S3Client s3;
    private final String path;
    private final String token;
    private final String s3UploadId;
    private final String stagingKey;
    private volatile boolean completed;

    private S3MultipartUpload(S3ArtifactRepository repository, String path, String token, String s3UploadId) {
        this.repository = repository;
        this.s3 = repository.client();
        this.path = path;
        this.token = token;
        this.s3UploadId = s3UploadId;
        this.stagingKey = stagingKey(repository, token, path);
    }

    private static String stagingKey(S3ArtifactRepository repository, String token, String path) {
        // Built with key("") so that the reserved directory name bypasses path validation.
        String root = repository.key("");
        String rel = S3ArtifactRepository.UPLOADS_DIRECTORY + "/" + token + "/" + path;
        return root.isEmpty() ? rel : root + "/" + rel;
    }

    static S3MultipartUpload start(S3ArtifactRepository repository, String path) {
        String token = LocalFiles.randomHex(12);
        String key = stagingKey(repository, token, path);
        try {
            String s3UploadId = repository.client()
                    .createMultipartUpload(b -> b.bucket(repository.bucket()).key(key)).uploadId();
            return new S3MultipartUpload(repository, path, token, s3UploadId);
        } catch (SdkException e) {
            throw S3Errors.failure("start a multipart upload of", repository.location(path), e);
        }
    }

    static S3MultipartUpload resume(S3ArtifactRepository repository, String path, String uploadId) {
        int dot = uploadId == null ? -1 : uploadId.indexOf('.');
        if (dot < 0 || !TOKEN.matcher(uploadId.substring(0, dot)).matches() || dot == uploadId.length() - 1) {
            throw CairnException.invalid("upload_id", uploadId, "an upload id returned when the upload was started");
        }
        S3MultipartUpload upload = new S3MultipartUpload(repository, path, uploadId.substring(0, dot), uploadId.substring(dot + 1));
        if (!upload.isPending()) throw CairnException.notFound("multipart upload", uploadId);
        return upload;
    }

    @Override
    public String uploadId() {
        return token + "." + s3UploadId;
    }

    @Override
    public void putPart(int partNumber, InputStream content) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw CairnException.invalid("part_number", partNumber, "an integer from 1 to " + MAX_PART_NUMBER);
        }
        requireOpen();
        String what = path + " (part " + partNumber + ")";
        try (SpooledContent spooled = SpooledContent.read(content, repository.limits().memoryThreshold(), what)) {
            s3.uploadPart(b -> b.bucket(repository.bucket()).key(stagingKey).uploadId(s3UploadId)
                    .partNumber(partNumber).contentLength(spooled.size()), spooled.body());
        } catch (SdkException e) {
            throw uploadFailure("write a part of", e);
        }
    }

    @Override
    public ArtifactInfo complete() {
        requireOpen();
        List<CompletedPart> parts = listParts();
        if (parts.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_STATE,
                    "Multipart upload " + uploadId() + " of '" + path + "' has no parts to complete",
                    Map.of("upload_id", uploadId(), "path", path));
        }
        String bucket = repository.bucket();
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(stagingKey).uploadId(s3UploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (SdkException e) {
            if ("EntityTooSmall".equals(S3Errors.errorCode(e))) {
                throw CairnException.invalid("part_size", "under 5 MiB",
                        "at least 5 MiB for every part but the last (S3's minimum part size); upload " + uploadId() + " stays open");
            }
            throw uploadFailure("complete the multipart upload of", e);
        }
        completed = true;
        try {
            MessageDigest digest = Sha256.newDigest();
            long size = 0;
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(stagingKey))) {
                byte[] buffer = new byte[256 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            }
            String sha256 = Sha256.hex(digest);
            repository.copy(stagingKey, repository.key(path), size, Map.of(S3ArtifactRepository.SHA256_METADATA, sha256));
            return new ArtifactInfo(path, false, size, sha256);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR,
                    "Could not read back '" + repository.location(path) + "' to compute its digest: " + e, e);
        } catch (SdkException e) {
            throw S3Errors.failure("complete the multipart upload of", repository.location(path), e);
        } finally {
            deleteStagingObject();
        }
    }

    @Override
    public void abort() {
        if (completed) return;
        repository.abortQuietly(stagingKey, s3UploadId);
    }

    private void requireOpen() {
        if (completed) {
            throw new CairnException(ErrorCode.INVALID_STATE,
                    "Multipart upload " + uploadId() + " of '" + path + "' is already complete",
                    Map.of("upload_id", uploadId(), "path", path));
        }
    }

    /**
     * Whether S3 still has this upload for this staging key. ListMultipartUploads rather than
     * ListParts, because some S3-compatible servers answer ListParts for unknown ids with no parts.
     */
    private boolean isPending() {
        try {
            for (ListMultipartUploadsResponse page : s3.listMultipartUploadsPaginator(
                    b -> b.bucket(repository.bucket()).prefix(stagingKey))) {
                for (MultipartUpload pending : page.uploads()) {
                    if (pending.key().equals(stagingKey) && pending.uploadId().equals(s3UploadId)) return true;
                }
            }
            return false;
        } catch (SdkException e) {
            throw uploadFailure("resume the multipart upload of", e);
        }
    }

    /** The uploaded parts in part-number order; S3 keeps them, so another process can complete. */
    private List<CompletedPart> listParts() {
        List<CompletedPart> parts = new ArrayList<>();
        try {
            for (ListPartsResponse page : s3.listPartsPaginator(b -> b.bucket(repository.bucket()).key(stagingKey).uploadId(s3UploadId))) {
                for (Part part : page.parts()) {
                    parts.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build());
                }
            }
        } catch (SdkException e) {
            throw uploadFailure("list the parts of", e);
        }
        parts.sort(Comparator.comparing(CompletedPart::partNumber));
        return parts;
    }

    private CairnException uploadFailure(String action, SdkException e) {
        if ("NoSuchUpload".equals(S3Errors.errorCode(e)) || S3Errors.isNotFound(e)) {
            return CairnException.notFound("multipart upload", uploadId());
        }
        return S3Errors.failure(action, repository.location(path), e);
    }

    private void deleteStagingObject() {
        try {
            s3.deleteObject(b -> b.bucket(repository.bucket()).key(stagingKey));
        } catch (SdkException ignored) {
            // A leftover staging object is hidden from listings and removed with its directory.
        }
    }
}

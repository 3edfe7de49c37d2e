package dev.cairn.pipeline.snapshot;

import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.InputStream;
import java.util.List;

/**
 * A real local repository presented under an {@code s3://} root, so that snapshots take the path they take for a
 * store that is not a local directory (a copy to a temporary file) without an S3 server in this module's tests.
 */
final class RemoteLikeStore implements ArtifactRepository {
    private final ArtifactRepository local;

    RemoteLikeStore(ArtifactRepository local) {
        this.local = local;
    }

    @Override
    public String rootUri() {
        return "s3://test-bucket/artifacts";
    }

    @Override
    public ArtifactInfo put(String path, InputStream content) {
        return local.put(path, content);
    }

    @Override
    public InputStream open(String path) {
        return local.open(path);
    }

    @Override
    public List<ArtifactInfo> list(String path) {
        return local.list(path);
    }

    @Override
    public ArtifactInfo stat(String path) {
        return local.stat(path);
    }

    @Override
    public boolean exists(String path) {
        return local.exists(path);
    }

    @Override
    public void delete(String path) {
        local.delete(path);
    }

    @Override
    public ArtifactRepository child(String path) {
        return new RemoteLikeStore(local.child(path));
    }

    @Override
    public MultipartUpload startMultipart(String path) {
        return local.startMultipart(path);
    }

    @Override
    public MultipartUpload resumeMultipart(String path, String uploadId) {
        return local.resumeMultipart(path, uploadId);
    }
}

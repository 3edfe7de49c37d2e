package dev.cairn.client.remote;

import static dev.cairn.client.remote.ArtifactPaths.join;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.client.RestClient;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.hash.VerifyingInputStream;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link ArtifactRepository} on a Cairn server: one run's artifacts ({@link #ofRun}), or the
 * server's whole artifact root ({@link #ofRoot}). Uploads and downloads are streamed, never held in
 * memory.
 *
 * <p>A run's repository uses {@code /api/v1/runs/{run}/artifacts}: uploads, listings with each
 * file's SHA-256, and downloads checked against the {@code X-Cairn-Sha256} header (DATA_LOSS at the
 * end of the stream on a mismatch or a broken-off transfer). /api/v1 has no endpoint to delete
 * artifacts or to upload in parts, so {@link #delete} and multipart uploads go through the MLflow
 * artifact API every Cairn server also serves ({@code /api/2.0/mlflow-artifacts}), at the run's
 * location under the artifact root; a run whose artifacts live elsewhere is refused with INVALID_STATE.
 *
 * <p>The root repository uses the MLflow artifact API throughout. That API sends no checksums:
 * there {@code open} checks the length only, {@code list} and {@code stat} give no SHA-256, and
 * {@code put} returns the SHA-256 of the bytes it sent.
 */
public final class RemoteArtifactRepository implements ArtifactRepository {

    static final String MLFLOW_ARTIFACTS = "/api/2.0/mlflow-artifacts";
    static final String SHA256_HEADER = "X-Cairn-Sha256";

    private final RestClient rest;
    /** Null for the server's artifact root. */
    private final String runId;
    /** Where this repository starts, under the run's artifacts (or the root): "" or "a/b". */
    private final String prefix;
    private volatile String runLocationUnderRoot;

    private RemoteArtifactRepository(RestClient rest, String runId, String prefix) {
        this.rest = rest;
        this.runId = runId;
        this.prefix = prefix;
    }

    /** The artifacts of one run. */
    public static RemoteArtifactRepository ofRun(RestClient rest, String runId) {
        if (runId == null || runId.isBlank()) throw CairnException.invalid("run_id", runId, "a run id");
        return new RemoteArtifactRepository(rest, runId, "");
    }

    /** The server's whole artifact root (through the MLflow artifact API; see the class comment). */
    public static RemoteArtifactRepository ofRoot(RestClient rest) {
        return new RemoteArtifactRepository(rest, null, "");
    }

    /** {@code runs:/<run>/<prefix>} for a run, {@code mlflow-artifacts:/<prefix>} for the root. */
    @Override
    public String rootUri() {
        if (runId != null) return "runs:/" + runId + (prefix.isEmpty() ? "" : "/" + prefix);
        return "mlflow-artifacts:/" + prefix;
    }

    // ---------------------------------------------------------------- files

    @Override
    public ArtifactInfo put(String path, InputStream content) {
        String full = join(prefix, ArtifactPaths.normalizeFile(path));
        if (runId != null) {
            ArtifactInfo info = rest.sendRaw("PUT", runArtifacts() + "/" + RestClient.encodePath(full), null,
                    HttpRequest.BodyPublishers.ofInputStream(() -> content), ArtifactInfo.class);
            return relative(info);
        }
        MessageDigest digest = Sha256.newDigest();
        long[] length = {0};
        InputStream counted = new DigestInputStream(content, digest) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) length[0]++;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) length[0] += n;
                return n;
            }
        };
        rest.sendRaw("PUT", MLFLOW_ARTIFACTS + "/artifacts/" + RestClient.encodePath(full), null,
                HttpRequest.BodyPublishers.ofInputStream(() -> counted), null);
        return new ArtifactInfo(ArtifactPaths.relativeTo(prefix, full), false, length[0], Sha256.hex(digest));
    }

    @Override
    public InputStream open(String path) {
        String full = join(prefix, ArtifactPaths.normalizeFile(path));
        String url = runId != null ? runArtifacts() + "/" + RestClient.encodePath(full)
                : MLFLOW_ARTIFACTS + "/artifacts/" + RestClient.encodePath(full);
        HttpResponse<InputStream> response = rest.getStream(url);
        String sha256 = response.headers().firstValue(SHA256_HEADER).orElse(null);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new VerifyingInputStream(response.body(), rootUri() + " " + path, sha256, length);
    }

    record RunArtifactList(String rootUri, String path, List<ArtifactInfo> files) {}

    @Override
    public List<ArtifactInfo> list(String path) {
        String full = join(prefix, ArtifactPaths.normalize(path));
        List<ArtifactInfo> out = new ArrayList<>();
        if (runId != null) {
            RunArtifactList list = rest.get(runArtifacts(), full.isEmpty() ? null : Map.of("path", full), RunArtifactList.class);
            if (list.files() != null) list.files().forEach(info -> out.add(relative(info)));
            return List.copyOf(out);
        }
        JsonNode list = rest.get(MLFLOW_ARTIFACTS + "/artifacts", full.isEmpty() ? null : Map.of("path", full), JsonNode.class);
        for (JsonNode file : list.path("files")) {
            String name = ArtifactPaths.baseName(file.path("path").asText());
            boolean directory = file.path("is_dir").asBoolean(false);
            out.add(new ArtifactInfo(ArtifactPaths.relativeTo(prefix, join(full, name)), directory,
                    directory ? 0 : file.path("file_size").asLong(0), null));
        }
        return List.copyOf(out);
    }

    @Override
    public ArtifactInfo stat(String path) {
        String relative = ArtifactPaths.normalize(path);
        if (relative.isEmpty()) return new ArtifactInfo("", true, 0, null);
        for (ArtifactInfo info : list(ArtifactPaths.parent(relative))) {
            if (info.path().equals(relative)) return info;
        }
        throw CairnException.notFound("artifact", relative);
    }

    @Override
    public boolean exists(String path) {
        try {
            stat(path);
            return true;
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return false;
            throw e;
        }
    }

    @Override
    public void delete(String path) {
        String full = join(prefix, ArtifactPaths.normalize(path));
        String underRoot = join(locationUnderRoot(), full);
        if (underRoot.isEmpty()) {
            throw CairnException.invalid("path", path, "a file or directory under the artifact root, not the root itself");
        }
        rest.send("DELETE", MLFLOW_ARTIFACTS + "/artifacts/" + RestClient.encodePath(underRoot), null, null, null, null);
    }

    @Override
    public ArtifactRepository child(String path) {
        String relative = ArtifactPaths.normalize(path);
        return relative.isEmpty() ? this : new RemoteArtifactRepository(rest, runId, join(prefix, relative));
    }

    // ---------------------------------------------------------------- multipart

    @Override
    public MultipartUpload startMultipart(String path) {
        String full = join(prefix, ArtifactPaths.normalizeFile(path));
        String destination = join(locationUnderRoot(), full);
        JsonNode created = rest.post(MLFLOW_ARTIFACTS + "/mpu/create" + directoryOf(destination),
                Map.of("path", ArtifactPaths.baseName(destination), "num_parts", 1), JsonNode.class);
        String uploadId = created.path("upload_id").asText(null);
        if (uploadId == null) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "The server started no upload of " + path + " (no upload_id)");
        }
        return new RemoteMultipartUpload(this, path, destination, uploadId);
    }

    @Override
    public MultipartUpload resumeMultipart(String path, String uploadId) {
        if (uploadId == null || uploadId.isBlank()) throw CairnException.invalid("upload_id", uploadId, "the id of a started upload");
        String full = join(prefix, ArtifactPaths.normalizeFile(path));
        return new RemoteMultipartUpload(this, path, join(locationUnderRoot(), full), uploadId);
    }

    RestClient rest() {
        return rest;
    }

    /** {@code /dir} of a root-relative file path for the mpu routes, "" for a file at the root. */
    static String directoryOf(String destination) {
        String directory = ArtifactPaths.parent(destination);
        return directory.isEmpty() ? "" : "/" + RestClient.encodePath(directory);
    }

    // ---------------------------------------------------------------- helpers

    private String runArtifacts() {
        return Wire.API + "/runs/" + RestClient.encode(runId) + "/artifacts";
    }

    private ArtifactInfo relative(ArtifactInfo info) {
        return new ArtifactInfo(ArtifactPaths.relativeTo(prefix, info.path()), info.isDirectory(), info.size(), info.sha256());
    }

    /**
     * Where this repository's base (the run's artifacts, or the root) is under the server's artifact
     * root, as the MLflow artifact API addresses it: the server tells MLflow clients a run's location
     * as {@code mlflow-artifacts:/<path>} when it is under the root it serves.
     */
    private String locationUnderRoot() {
        if (runId == null) return "";
        String known = runLocationUnderRoot;
        if (known != null) return known;
        JsonNode run = rest.get("/api/2.0/mlflow/runs/get", Map.of("run_id", runId), JsonNode.class);
        String uri = run.path("run").path("info").path("artifact_uri").asText("");
        String scheme = "mlflow-artifacts:";
        if (!uri.startsWith(scheme)) {
            throw new CairnException(ErrorCode.INVALID_STATE, "The artifacts of run '" + runId + "' are stored at '" + uri
                    + "', outside the artifact root the server serves; delete them or upload in parts there directly",
                    Map.of("run_id", runId, "artifact_uri", uri));
        }
        String path = uri.substring(scheme.length());
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        known = path.replaceAll("^/+", "").replaceAll("/+$", "");
        runLocationUnderRoot = known;
        return known;
    }

    @Override
    public String toString() {
        return "RemoteArtifactRepository[" + rest.base() + " " + rootUri() + "]";
    }
}

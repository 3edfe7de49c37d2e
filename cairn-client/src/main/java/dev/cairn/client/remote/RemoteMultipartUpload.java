package dev.cairn.client.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.client.RestClient;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A multipart upload through the server's MLflow artifact API: each part is PUT to
 * {@code mpu/part/<path>?upload_id=…&part_number=…} (the URL pattern of the server's part
 * "credentials"), and {@code mpu/complete} writes the file whole. Any server of a cluster can take
 * any part, so an upload started here can be resumed by id elsewhere.
 */
final class RemoteMultipartUpload implements ArtifactRepository.MultipartUpload {

    private final RemoteArtifactRepository repository;
    private final String path;
    private final String destination;
    private final String uploadId;
    private final SortedMap<Integer, String> etags = new TreeMap<>();
    private volatile boolean finished;

    RemoteMultipartUpload(RemoteArtifactRepository repository, String path, String destination, String uploadId) {
        this.repository = repository;
        this.path = path;
        this.destination = destination;
        this.uploadId = uploadId;
    }

    @Override
    public String uploadId() {
        return uploadId;
    }

    @Override
    public void putPart(int partNumber, InputStream content) {
        if (partNumber < 1 || partNumber > 10_000) {
            throw CairnException.invalid("part_number", partNumber, "an integer from 1 to 10000");
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("upload_id", uploadId);
        query.put("part_number", partNumber);
        HttpResponse<byte[]> response = repository.rest().sendRawForResponse("PUT", RemoteArtifactRepository.MLFLOW_ARTIFACTS
                + "/mpu/part/" + RestClient.encodePath(destination), query, HttpRequest.BodyPublishers.ofInputStream(() -> content));
        synchronized (etags) {
            etags.put(partNumber, response.headers().firstValue("ETag").orElse(""));
        }
    }

    @Override
    public ArtifactInfo complete() {
        List<Map<String, Object>> parts = new ArrayList<>();
        synchronized (etags) {
            etags.forEach((number, etag) -> parts.add(Map.of("part_number", number, "etag", etag)));
        }
        // The server completes from the parts it holds; the list only has to name one, which an
        // upload resumed here after another process sent every part does not know otherwise.
        if (parts.isEmpty()) parts.add(Map.of("part_number", 1));
        repository.rest().post(RemoteArtifactRepository.MLFLOW_ARTIFACTS + "/mpu/complete"
                + RemoteArtifactRepository.directoryOf(destination), Map.of("path", ArtifactPaths.baseName(destination),
                "upload_id", uploadId, "parts", parts), JsonNode.class);
        finished = true;
        return repository.stat(path);
    }

    @Override
    public void abort() {
        if (finished) return;
        finished = true;
        repository.rest().post(RemoteArtifactRepository.MLFLOW_ARTIFACTS + "/mpu/abort"
                + RemoteArtifactRepository.directoryOf(destination), Map.of("path", ArtifactPaths.baseName(destination),
                "upload_id", uploadId), JsonNode.class);
    }
}

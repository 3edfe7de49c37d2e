package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.store.artifact.S3ArtifactRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * MLflow's artifact API over an S3 artifact root (an in-process s3proxy): run artifact URIs are
 * still {@code mlflow-artifacts:/…}, and a multipart upload whose parts arrive as separate HTTP
 * requests becomes one S3 object, byte for byte.
 */
class MlflowArtifactsOnS3Test {

    private static final String ACCESS_KEY = "mlflow-test-access";
    private static final String SECRET_KEY = "mlflow-test-secret";
    private static final int MIB = 1024 * 1024;

    private static S3Proxy proxy;
    private static S3Client s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        s3.createBucket(b -> b.bucket("mlflow"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) s3.close();
        if (proxy != null) proxy.stop();
    }

    @Test
    @DisplayName("Uploads, listings, downloads and a multipart upload go through to S3 unchanged")
    void artifactsOnS3() throws Exception {
        S3ArtifactRepository artifacts = new S3ArtifactRepository(s3, "mlflow", "artifacts");
        MetadataStore store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), artifacts.rootUri());
        try (MlflowTestServer server = MlflowTestServer.serve(store, artifacts)) {
            String experimentId = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"s3\"}").get("experiment_id").asText();
            JsonNode run = server.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(experimentId) + "}").at("/run/info");
            String runRoot = experimentId + "/" + run.get("run_id").asText() + "/artifacts";
            assertThat(run.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + runRoot);

            byte[] small = random(64 * 1024, 3);
            assertThat(put(server, server.url + "/api/2.0/mlflow-artifacts/artifacts/" + runRoot + "/conf/params.json", small)
                    .statusCode()).isEqualTo(200);
            assertThat(download(server, runRoot + "/conf/params.json")).isEqualTo(small);

            // S3's rule: every part but the last at least 5 MiB.
            byte[] big = random(5 * MIB + 100_000, 4);
            int partSize = 5 * MIB;
            int parts = (big.length + partSize - 1) / partSize;
            JsonNode created = server.ok("/api/2.0/mlflow-artifacts/mpu/create/" + runRoot + "/model",
                    "{\"path\": \"C:\\\\Users\\\\ana\\\\model.onnx\", \"num_parts\": " + parts + "}");
            List<String> completed = new ArrayList<>();
            // Parts may arrive in any order.
            for (int i = created.get("credentials").size() - 1; i >= 0; i--) {
                JsonNode credential = created.get("credentials").get(i);
                int number = credential.get("part_number").asInt();
                byte[] chunk = Arrays.copyOfRange(big, (number - 1) * partSize, Math.min(big.length, number * partSize));
                HttpResponse<String> response = put(server, credential.get("url").asText(), chunk);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                completed.add("{\"part_number\": " + number + ", \"etag\": " + q(response.headers().firstValue("ETag").orElseThrow()) + "}");
            }
            server.ok("/api/2.0/mlflow-artifacts/mpu/complete/" + runRoot + "/model",
                    "{\"path\": \"C:\\\\Users\\\\ana\\\\model.onnx\", \"upload_id\": " + q(created.get("upload_id").asText())
                            + ", \"parts\": [" + String.join(", ", completed) + "]}");
            byte[] downloaded = download(server, runRoot + "/model/model.onnx");
            assertThat(downloaded.length).isEqualTo(big.length);
            assertThat(MessageDigest.getInstance("SHA-256").digest(downloaded))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(big));

            JsonNode listing = server.okGet("/api/2.0/mlflow/artifacts/list?run_id=" + run.get("run_id").asText());
            List<String> paths = new ArrayList<>();
            listing.get("files").forEach(f -> paths.add(f.get("path").asText() + (f.get("is_dir").asBoolean() ? "/" : "")));
            assertThat(paths).containsExactlyInAnyOrder("conf/", "model/");
            JsonNode model = server.okGet("/api/2.0/mlflow-artifacts/artifacts?path=" + runRoot + "/model");
            assertThat(model.at("/files/0/path").asText()).isEqualTo("model.onnx");
            assertThat(model.at("/files/0/file_size").asLong()).isEqualTo(big.length);
        }
    }

    private static HttpResponse<String> put(MlflowTestServer server, String url, byte[] body) {
        return server.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] download(MlflowTestServer server, String path) {
        HttpResponse<byte[]> response = server.send(HttpRequest.newBuilder(
                URI.create(server.url + "/api/2.0/mlflow-artifacts/artifacts/" + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

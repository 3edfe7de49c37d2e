package dev.cairn.store.artifact;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.Properties;

/** One in-process S3 (s3proxy over an in-memory blob store) shared by the S3 tests of this JVM. */
final class S3TestServer {
    static final String ACCESS_KEY = "cairn-test-access";
    static final String SECRET_KEY = "cairn-test-secret";

    private static S3Proxy proxy;
    private static S3Client client;

    private S3TestServer() {}

    static synchronized String endpoint() {
        if (proxy == null) {
            try {
                S3Proxy started = S3Proxy.builder()
                        .blobStore(BlobStores.create("transient", new Properties()))
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
                started.start();
                proxy = started;
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** A client configured exactly as the provider configures one for a custom endpoint. */
    static synchronized S3Client client() {
        if (client == null) {
            client = S3ArtifactRepositoryProvider.newClient(settings());
        }
        return client;
    }

    static S3ArtifactRepositoryProvider.ClientSettings settings() {
        return new S3ArtifactRepositoryProvider.ClientSettings(endpoint(), "us-east-1", ACCESS_KEY, SECRET_KEY, null);
    }
}

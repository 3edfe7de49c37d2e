package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.ArtifactRepositoryProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opens {@code s3://bucket/prefix} URIs, configured from the environment the way MLflow is:
 * <ul>
 *   <li>{@code CAIRN_S3_ENDPOINT_URL}, else {@code MLFLOW_S3_ENDPOINT_URL}: a custom endpoint
 *       (MinIO, Ceph, s3proxy…), reached with path-style addressing ({@code http://host/bucket/key}),
 *       which such servers expect; without one, AWS itself with the SDK's default addressing;</li>
 *   <li>{@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@code us-east-1};</li>
 *   <li>credentials: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and
 *       {@code AWS_SESSION_TOKEN}) if set, else the SDK's default chain (profile, web identity,
 *       container and instance roles).</li>
 * </ul>
 * Each is read from a JVM system property of the same name first, then from the environment. One client per
 * configuration is shared by every repository this class opens.
 */
public final class S3ArtifactRepositoryProvider implements ArtifactRepositoryProvider {
    private static final Map<ClientSettings, S3Client> CLIENTS = new ConcurrentHashMap<>();

    private final Function<String, String> environment;

    public S3ArtifactRepositoryProvider() {
        this(S3ArtifactRepositoryProvider::propertyOrEnvironment);
    }

    /**
     * A JVM system property of the variable's name, else the environment variable: as {@code CAIRN_HOME} is read, so that
     * servers started inside one JVM (the scale-out tests) reach an S3 whose address is known only once it runs.
     */
    private static String propertyOrEnvironment(String name) {
        String property = System.getProperty(name);
        return property != null && !property.isBlank() ? property : System.getenv(name);
    }

    /** With another source of environment variables (tests). */
    S3ArtifactRepositoryProvider(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public ArtifactRepository open(String rootUri) {
        return S3ArtifactRepository.fromUri(rootUri, CLIENTS.computeIfAbsent(settings(), S3ArtifactRepositoryProvider::newClient));
    }

    /** The client settings the environment asks for. */
    ClientSettings settings() {
        String endpoint = firstSet("CAIRN_S3_ENDPOINT_URL", "MLFLOW_S3_ENDPOINT_URL");
        if (endpoint != null) {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw CairnException.invalid("CAIRN_S3_ENDPOINT_URL", endpoint, "an http(s)://host[:port] URL");
            }
        }
        String region = firstSet("AWS_REGION", "AWS_DEFAULT_REGION");
        return new ClientSettings(endpoint, region == null ? "us-east-1" : region,
                firstSet("AWS_ACCESS_KEY_ID"), firstSet("AWS_SECRET_ACCESS_KEY"), firstSet("AWS_SESSION_TOKEN"));
    }

    private String firstSet(String... names) {
        for (String name : names) {
            String value = environment.apply(name);
            if (value != null && !value.isBlank()) return value.strip();
        }
        return null;
    }

    /** What decides a client; two repositories with equal settings share one. */
    record ClientSettings(String endpoint, String region, String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "ClientSettings[endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + accessKeyId + "]";
        }
    }

    static S3Client newClient(ClientSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings));
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()))
                    .forcePathStyle(true)
                    // S3-compatible servers often reject the SDK's default CRC32 trailers; our own
                    // SHA-256 metadata is the end-to-end check.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(ClientSettings settings) {
        if (settings.accessKeyId() != null && settings.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(settings.sessionToken() == null
                    ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
                    : AwsSessionCredentials.create(settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}

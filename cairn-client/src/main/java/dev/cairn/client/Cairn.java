package dev.cairn.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.remote.RemoteArtifactRepository;
import dev.cairn.client.remote.RemoteMetadataStore;
import dev.cairn.client.remote.RemoteModelResolver;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.VerifyingInputStream;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Java SDK of Cairn: tracking (experiments, runs, metrics, artifacts) and the model registry
 * over the REST API.
 *
 * <pre>{@code
 * Cairn cairn = Cairn.connect("http://127.0.0.1:5000");
 * cairn.run("credit-risk", run -> {
 *     run.logParam("max_depth", 6);
 *     run.logMetric("auc", 0.81);
 * });
 * }</pre>
 *
 * Every failure is a {@link CairnException} carrying the server's error code.
 */
public final class Cairn {

    static final String API = "/api/v1";

    private final RestClient rest;
    private final String user;
    private final Path workingDirectory;

    private Cairn(RestClient rest, String user, Path workingDirectory) {
        this.rest = rest;
        this.user = user;
        this.workingDirectory = workingDirectory;
    }

    /**
     * Connects as the operating-system user, logging in with the environment's credentials when it has some
     * ({@link Credentials#fromEnvironment}), e.g. {@code Cairn.connect("http://127.0.0.1:5000")}.
     */
    public static Cairn connect(String url) {
        return builder(url).build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Options of a connection. */
    public static final class Builder {
        private final URI url;
        private String user = SystemInfo.userName();
        private Duration timeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private Credentials credentials = Credentials.fromEnvironment();

        private Builder(String url) {
            if (url == null || !url.matches("https?://.+")) {
                throw CairnException.invalid("url", url, "an http:// or https:// URL of a Cairn server");
            }
            this.url = URI.create(url);
        }

        /** Who is recorded as the runs' user and the registry changes' actor. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * How to log in to a server with login on (default: from the environment, see {@link Credentials}); the server
         * then records the authenticated principal, whatever {@link #user} says.
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials == null ? Credentials.NONE : credentials;
            return this;
        }

        /** How long one request may take (uploads included). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Where to look for the git work tree whose commit runs record (default: the current directory). */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        public Cairn build() {
            HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            return new Cairn(new RestClient(url, http, ClientJson.mapper(), user, timeout, credentials), user, workingDirectory);
        }
    }

    /** The HTTP layer of this connection (for {@code dev.cairn.client.remote}; applications need not use it). */
    public RestClient rest() {
        return rest;
    }

    ObjectMapper mapper() {
        return rest.mapper();
    }

    // ---- the store interfaces, remote ---------------------------------------------------------

    /**
     * The server as a {@link dev.cairn.core.store.MetadataStore}: code written against the store
     * interfaces records into this server exactly as into an embedded store.
     */
    public RemoteMetadataStore metadataStore() {
        return new RemoteMetadataStore(rest);
    }

    /** One run's artifacts on the server as an {@link dev.cairn.core.store.ArtifactRepository}. */
    public RemoteArtifactRepository artifacts(String runId) {
        return RemoteArtifactRepository.ofRun(rest, runId);
    }

    /** The server's whole artifact root (through its MLflow artifact API, which sends no checksums). */
    public RemoteArtifactRepository artifactRoot() {
        return RemoteArtifactRepository.ofRoot(rest);
    }

    /**
     * Resolves model URIs through the server into {@code cacheDir} (null for
     * {@code $CAIRN_HOME/cache/models}); pass {@code resolver::resolve} where cairn-runtime wants a
     * {@code ModelResolver}.
     */
    public RemoteModelResolver modelResolver(Path cacheDir) {
        return new RemoteModelResolver(rest, cacheDir);
    }

    /** As {@link #modelResolver(Path)} with the default cache, {@code $CAIRN_HOME/cache/models}. */
    public RemoteModelResolver modelResolver() {
        return new RemoteModelResolver(rest, null);
    }

    // ---- runs -------------------------------------------------------------------------------

    /** Starts a run in the named experiment, creating the experiment when missing. End it with close(). */
    public CairnRun startRun(String experimentName) {
        return startRun(experimentName, RunOptions.defaults());
    }

    public CairnRun startRun(String experimentName, RunOptions options) {
        Experiment experiment = getOrCreateExperiment(experimentName);
        Map<String, String> tags = new LinkedHashMap<>(SystemInfo.tags(user, options.source(), workingDirectory));
        tags.putAll(options.tags());
        List<Tag> tagList = tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experiment.experimentId());
        body.put("run_name", options.runName());
        body.put("start_time", System.currentTimeMillis());
        body.put("tags", tagList);
        body.put("user", user);
        Run run = rest.post(API + "/runs", body, Run.class);
        return new CairnRun(this, run);
    }

    /**
     * Runs {@code body} in a new run: FINISHED when it returns; FAILED, with the
     * {@code cairn.failure.reason} tag, when it throws, and the exception is rethrown.
     */
    public void run(String experimentName, RunBody body) {
        run(experimentName, RunOptions.defaults(), body);
    }

    public void run(String experimentName, RunOptions options, RunBody body) {
        CairnRun run = startRun(experimentName, options);
        try {
            body.accept(run);
        } catch (Throwable t) {
            run.fail(t);
            try {
                run.close();
            } catch (RuntimeException closeFailure) {
                t.addSuppressed(closeFailure);
            }
            sneakyThrow(t);
        }
        run.close();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        // The body's checked exception is rethrown as is, so callers see exactly what their code threw.
        throw (T) t;
    }

    public Run getRun(String runId) {
        return rest.get(API + "/runs/" + RestClient.encode(runId), null, Run.class);
    }

    record RunPage(List<Run> runs, String nextPageToken) {}

    /** Runs of the experiments matching an MLflow filter ({@code metrics.auc > 0.8}), ordered like {@code metrics.auc DESC}. */
    public Page<Run> searchRuns(List<String> experimentIds, String filter, List<String> orderBy, int maxResults, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_ids", experimentIds);
        body.put("filter", filter);
        body.put("order_by", orderBy);
        body.put("max_results", maxResults);
        body.put("page_token", pageToken);
        RunPage page = rest.post(API + "/runs/search", body, RunPage.class);
        return new Page<>(page.runs() == null ? List.of() : page.runs(), page.nextPageToken());
    }

    /** Every point of a metric, read a page at a time (the server pages long histories). */
    public List<Metric> getMetricHistory(String runId, String metricKey) {
        return metadataStore().runs().getMetricHistory(runId, metricKey);
    }

    // ---- experiments ------------------------------------------------------------------------

    public Experiment createExperiment(String name) {
        return createExperiment(name, null, List.of());
    }

    public Experiment createExperiment(String name, String artifactLocation, List<Tag> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("artifact_location", artifactLocation);
        body.put("tags", tags);
        return rest.post(API + "/experiments", body, Experiment.class);
    }

    public Experiment getExperiment(String experimentId) {
        return rest.get(API + "/experiments/" + RestClient.encode(experimentId), null, Experiment.class);
    }

    public Optional<Experiment> getExperimentByName(String name) {
        try {
            return Optional.of(rest.get(API + "/experiments/by-name/" + RestClient.encodePath(name), null, Experiment.class));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
            throw e;
        }
    }

    /** The named experiment, created if missing (a concurrent creation by another client is tolerated). */
    public Experiment getOrCreateExperiment(String name) {
        Optional<Experiment> existing = getExperimentByName(name);
        if (existing.isPresent()) return existing.get();
        try {
            return createExperiment(name);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) throw e;
            return getExperimentByName(name).orElseThrow(() -> e);
        }
    }

    record ExperimentPage(List<Experiment> experiments, String nextPageToken) {}

    public Page<Experiment> searchExperiments(ViewType viewType, String filter, int maxResults, String pageToken) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("view_type", viewType == null ? null : viewType.name());
        query.put("filter", filter);
        query.put("max_results", maxResults);
        query.put("page_token", pageToken);
        ExperimentPage page = rest.get(API + "/experiments", query, ExperimentPage.class);
        return new Page<>(page.experiments() == null ? List.of() : page.experiments(), page.nextPageToken());
    }

    public Experiment renameExperiment(String experimentId, String newName) {
        return rest.patch(API + "/experiments/" + RestClient.encode(experimentId), Map.of("name", newName), Experiment.class);
    }

    public void deleteExperiment(String experimentId) {
        rest.delete(API + "/experiments/" + RestClient.encode(experimentId), null);
    }

    public Experiment restoreExperiment(String experimentId) {
        return rest.post(API + "/experiments/" + RestClient.encode(experimentId) + "/restore", null, Experiment.class);
    }

    // ---- artifacts --------------------------------------------------------------------------

    ArtifactInfo uploadArtifact(String runId, String artifactPath, Path file) {
        try {
            return rest.putRaw(API + "/runs/" + RestClient.encode(runId) + "/artifacts/" + RestClient.encodePath(artifactPath),
                    HttpRequest.BodyPublishers.ofFile(file), ArtifactInfo.class);
        } catch (FileNotFoundException e) {
            throw CairnException.invalid("path", file, "a readable file");
        }
    }

    record ArtifactList(String rootUri, String path, List<ArtifactInfo> files) {}

    /** The artifacts directly under {@code path} ("" for the run's artifact root). */
    public List<ArtifactInfo> listArtifacts(String runId, String path) {
        ArtifactList list = rest.get(API + "/runs/" + RestClient.encode(runId) + "/artifacts",
                path == null || path.isEmpty() ? null : Map.of("path", path), ArtifactList.class);
        return list.files() == null ? List.of() : list.files();
    }

    /**
     * Downloads one artifact file to {@code target}, streaming, and checks its bytes against the
     * SHA-256 the server recorded: a mismatch or a truncated transfer raises DATA_LOSS and leaves
     * no file at {@code target}.
     */
    public Path downloadArtifact(String runId, String artifactPath, Path target) {
        HttpResponse<InputStream> response = rest.getStream(API + "/runs/" + RestClient.encode(runId) + "/artifacts/"
                + RestClient.encodePath(artifactPath));
        String expected = response.headers().firstValue("X-Cairn-Sha256").orElse(null);
        long expectedLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        Path parent = target.toAbsolutePath().getParent();
        Path temp = null;
        try (InputStream body = response.body()) {
            Files.createDirectories(parent);
            temp = Files.createTempFile(parent, ".cairn-download-", ".part");
            try (InputStream in = new VerifyingInputStream(body, "Artifact " + artifactPath, expected, expectedLength);
                 OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            return target;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Downloading artifact " + artifactPath + " failed: " + e.getMessage(),
                    Map.of("path", artifactPath), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover .part file is harmless
                }
            }
        }
    }

    /** An artifact's bytes, for small files (use {@link #downloadArtifact} for large ones). */
    public byte[] readArtifact(String runId, String artifactPath) {
        try {
            Path temp = Files.createTempFile("cairn-artifact-", ".bin");
            try {
                downloadArtifact(runId, artifactPath, temp);
                return Files.readAllBytes(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot use a temporary file: " + e.getMessage(), e);
        }
    }

    // ---- registry ---------------------------------------------------------------------------

    private static String model(String name) {
        return API + "/registered-models/" + RestClient.encode(name);
    }

    public RegisteredModel createRegisteredModel(String name) {
        return createRegisteredModel(name, null);
    }

    public RegisteredModel createRegisteredModel(String name, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", description);
        return rest.post(API + "/registered-models", body, RegisteredModel.class);
    }

    public RegisteredModel getRegisteredModel(String name) {
        return rest.get(model(name), null, RegisteredModel.class);
    }

    /** Registers the next version of {@code name} from {@code source} such as {@code runs:/<run>/model}. */
    public ModelVersion createModelVersion(String name, String source, String runId) {
        return createModelVersion(name, source, runId, null);
    }

    public ModelVersion createModelVersion(String name, String source, String runId, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", source);
        body.put("run_id", runId);
        body.put("description", description);
        return rest.post(model(name) + "/versions", body, ModelVersion.class);
    }

    public ModelVersion getModelVersion(String name, long version) {
        return rest.get(model(name) + "/versions/" + version, null, ModelVersion.class);
    }

    public ModelVersion setAlias(String name, String alias, long version) {
        return setAlias(name, alias, version, null);
    }

    /** Points {@code alias} at {@code version}; {@code comment} says why, in the audit log. */
    public ModelVersion setAlias(String name, String alias, long version, String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("comment", comment);
        return rest.put(model(name) + "/aliases/" + RestClient.encode(alias), body, ModelVersion.class);
    }

    public ModelVersion getModelVersionByAlias(String name, String alias) {
        return rest.get(model(name) + "/aliases/" + RestClient.encode(alias), null, ModelVersion.class);
    }

    public void deleteAlias(String name, String alias, String comment) {
        rest.delete(model(name) + "/aliases/" + RestClient.encode(alias), comment == null ? null : Map.of("comment", comment));
    }

    public ModelVersion transitionModelVersionStage(String name, long version, String stage, boolean archiveExisting,
                                                    String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("archive_existing_versions", archiveExisting);
        body.put("comment", comment);
        return rest.post(model(name) + "/versions/" + version + "/stage", body, ModelVersion.class);
    }

    /** Resolves {@code models:/name/3}, {@code models:/name@alias} or {@code runs:/…} on the server. */
    public ResolvedModel resolveModel(String uri) {
        return rest.get(API + "/model-versions/resolve", Map.of("uri", uri), ResolvedModel.class);
    }

    /** Audit events, newest first; {@code modelName} null for all models. */
    public Page<AuditEvent> listAudit(String modelName, int maxResults, String pageToken) {
        return metadataStore().registry().listAuditEvents(modelName, maxResults, pageToken);
    }

    /** Every audit event of a model (or of all models when null), newest first, reading all pages. */
    public List<AuditEvent> listAudit(String modelName) {
        List<AuditEvent> all = new ArrayList<>();
        String token = null;
        do {
            Page<AuditEvent> page = listAudit(modelName, 1000, token);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }
}

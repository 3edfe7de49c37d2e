package dev.cairn.client.remote;

import dev.cairn.client.RestClient;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.RunInfo;

/**
 * A {@link MetadataStore} that is a Cairn server: every call is one request to its REST API
 * {@code /api/v1}, so code written against the store interfaces (trainers, pipelines, the CLI)
 * records the same way embedded or remote. Server errors come back as {@code CairnException}s with
 * the server's {@code ErrorCode}, message and details.
 *
 * <p>Two methods have no endpoint in /api/v1 and are refused with ENDPOINT_NOT_FOUND:
 * {@link ExperimentStore#purgeExperiment} and {@link RegistryStore#appendAuditEvent}.
 *
 * <p>Obtain one with {@code Cairn.connect(url).metadataStore()}.
 */
public final class RemoteMetadataStore implements MetadataStore {

    private final RestClient rest;
    private final RemoteExperimentStore experiments;
    private final RemoteRunStore runs;
    private final RemoteRegistryStore registry;

    public RemoteMetadataStore(RestClient rest) {
        this.rest = rest;
        this.experiments = new RemoteExperimentStore(rest);
        this.runs = new RemoteRunStore(rest);
        this.registry = new RemoteRegistryStore(rest);
    }

    @Override
    public ExperimentStore experiments() {
        return experiments;
    }

    @Override
    public RunStore runs() {
        return runs;
    }

    @Override
    public RegistryStore registry() {
        return registry;
    }

    /** Through the server's artifact API: the run's artifact URI names a place on the server's side. */
    @Override
    public ArtifactRepository runArtifacts(RunInfo run) {
        return RemoteArtifactRepository.ofRun(rest, run.runId());
    }

    /** The server's URL (it never carries a password: the SDK sends none). */
    @Override
    public String uri() {
        return rest.base().toString();
    }

    /** Nothing to release: the HTTP client holds no connection that outlives a request's keep-alive. */
    @Override
    public void close() {
    }
}

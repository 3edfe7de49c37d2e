package dev.cairn.core.store;

/**
 * The system of record: one database holding experiments, runs and the registry. Opened from a
 * URI ({@code sqlite:/path/cairn.db}, {@code postgresql://host:port/db}) by a
 * {@link MetadataStoreProvider} found through {@link java.util.ServiceLoader}.
 */
public interface MetadataStore extends AutoCloseable {

    ExperimentStore experiments();

    RunStore runs();

    RegistryStore registry();

    /**
     * Pipelines and their runs. Only a store over a database has them (the server's, or an embedded SQLite file);
     * a remote client's store does not: pipelines run where the database is, and are reached through the REST API.
     */
    default PipelineStore pipelines() {
        throw new dev.cairn.core.error.CairnException(dev.cairn.core.error.ErrorCode.INVALID_STATE,
                "This store (" + uri() + ") does not hold pipelines: run them in cairn server or against its database, "
                        + "and reach them through /api/v1/pipelines");
    }

    /**
     * Accounts, API tokens, groups and grants. Only a store over a database has them: a remote client's store does
     * not (the server authenticates; its admin REST API is under /api/v1/auth).
     */
    default dev.cairn.core.auth.AuthStore auth() {
        throw new dev.cairn.core.error.CairnException(dev.cairn.core.error.ErrorCode.INVALID_STATE,
                "This store (" + uri() + ") does not hold accounts or permissions: manage them in cairn server "
                        + "through /api/v1/auth, or against its database");
    }

    /**
     * Feature definitions and their versions. Only a store over a database has them: a remote client's store does not
     * (the feature store runs where the metadata database is).
     */
    default dev.cairn.core.features.FeatureRegistry features() {
        throw new dev.cairn.core.error.CairnException(dev.cairn.core.error.ErrorCode.INVALID_STATE,
                "This store (" + uri() + ") does not hold feature definitions: use a sqlite: or postgresql:// store");
    }

    /**
     * Where a run's artifacts are read and written. For a store over a database, the repository at the run's
     * artifact URI. A remote client's store overrides this: the URI it is told is the server's own location (a path on
     * the server's disk, a bucket the client holds no credentials for), so the artifacts go through the server's API.
     */
    default ArtifactRepository runArtifacts(dev.cairn.core.tracking.RunInfo run) {
        return Stores.openArtifacts(run.artifactUri());
    }

    /** The URI this store was opened from, with any password removed. */
    String uri();

    @Override
    void close();
}

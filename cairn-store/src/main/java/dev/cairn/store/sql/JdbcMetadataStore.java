package dev.cairn.store.sql;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.store.auth.JdbcAuthStore;
import dev.cairn.store.features.JdbcFeatureRegistry;
import dev.cairn.store.pipeline.JdbcPipelineStore;
import dev.cairn.store.registry.JdbcRegistryStore;
import dev.cairn.store.tracking.JdbcExperimentStore;
import dev.cairn.store.tracking.JdbcRunStore;

/** The metadata store over one SQL database (SQLite or PostgreSQL). */
public final class JdbcMetadataStore implements MetadataStore {

    private final Database database;
    private final String uri;
    private final JdbcExperimentStore experiments;
    private final JdbcRunStore runs;
    private final JdbcRegistryStore registry;
    private final JdbcPipelineStore pipelines;
    private final JdbcAuthStore auth;
    private final JdbcFeatureRegistry features;

    private JdbcMetadataStore(Database database, String uri, String defaultArtifactRoot) {
        this.database = database;
        this.uri = uri;
        this.experiments = new JdbcExperimentStore(database, defaultArtifactRoot);
        this.runs = new JdbcRunStore(database);
        this.registry = new JdbcRegistryStore(database);
        this.pipelines = new JdbcPipelineStore(database);
        this.auth = new JdbcAuthStore(database);
        this.features = new JdbcFeatureRegistry(database);
    }

    /** Wraps a migrated database and makes sure MLflow's default experiment ("Default", id 0) exists. */
    public static JdbcMetadataStore open(Database database, String uri, String defaultArtifactRoot) {
        try {
            JdbcMetadataStore store = new JdbcMetadataStore(database, uri, defaultArtifactRoot);
            store.experiments.createDefaultExperiment();
            return store;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The database underneath, for benchmarks and tests of this module. */
    public Database database() {
        return database;
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

    @Override
    public PipelineStore pipelines() {
        return pipelines;
    }

    @Override
    public AuthStore auth() {
        return auth;
    }

    @Override
    public FeatureRegistry features() {
        return features;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        database.close();
    }
}

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

    /** The URI this store was opened from, with any password removed. */
    String uri();

    @Override
    void close();
}

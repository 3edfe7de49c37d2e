/**
 * Cairn's stores, opened by URI.
 *
 * <pre>{@code
 * try (MetadataStore store = Stores.openMetadata(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot())) {
 *     String experiment = store.experiments().createExperiment("credit", null, List.of());
 *     Run run = store.runs().createRun(experiment, "alice", System.currentTimeMillis(), null, List.of());
 *     store.runs().logBatch(run.info().runId(), metrics, params, tags);
 * }
 * ArtifactRepository artifacts = Stores.openArtifacts("s3://bucket/prefix");
 * }</pre>
 *
 * <p>Metadata URIs: {@code sqlite:/abs/path.db}, {@code sqlite:relative.db}, {@code jdbc:sqlite:…}
 * (the default, one file under {@code $CAIRN_HOME}), {@code postgresql://user:pass@host:port/db} and
 * {@code jdbc:postgresql://…}. The schema is migrated by Flyway when a store is opened
 * ({@code db/migration/sqlite}, {@code db/migration/postgresql}). Providers are found through
 * {@link java.util.ServiceLoader}: {@link dev.cairn.core.store.MetadataStoreProvider} (here, package
 * {@code dev.cairn.store.sql}) and {@link dev.cairn.core.store.ArtifactRepositoryProvider}
 * (package {@code dev.cairn.store.artifact}).
 */
package dev.cairn.store;

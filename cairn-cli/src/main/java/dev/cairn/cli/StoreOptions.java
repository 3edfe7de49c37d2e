package dev.cairn.cli;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.store.CairnHome;
import picocli.CommandLine.Option;

/** The {@code --store} and {@code --artifacts} options every command that reads the record shares. */
public final class StoreOptions {

    @Option(names = "--store", paramLabel = "URI",
            description = "Metadata store: sqlite:/path/cairn.db or postgresql://user:pass@host:port/db (default: sqlite:$CAIRN_HOME/cairn.db).")
    String store;

    @Option(names = "--artifacts", paramLabel = "URI",
            description = "Artifact root: a directory, file:/path or s3://bucket/prefix (default: $CAIRN_HOME/artifacts).")
    String artifacts;

    public String storeUri() {
        return store != null ? store : CairnHome.defaultMetadataUri();
    }

    public String artifactRoot() {
        return artifacts != null ? artifacts : CairnHome.defaultArtifactRoot();
    }

    public MetadataStore open() {
        return Stores.openMetadata(storeUri(), artifactRoot());
    }
}

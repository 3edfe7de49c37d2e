package dev.cairn.store;

import java.nio.file.Path;

/**
 * Where Cairn keeps its embedded stores: {@code CAIRN_HOME} (system property {@code cairn.home} or
 * {@code CAIRN_HOME}, else the environment variable), by default {@code ~/.cairn}.
 */
public final class CairnHome {

    private CairnHome() {}

    public static Path home() {
        String configured = System.getProperty("cairn.home");
        if (configured == null || configured.isBlank()) configured = System.getProperty("CAIRN_HOME");
        if (configured == null || configured.isBlank()) configured = System.getenv("CAIRN_HOME");
        if (configured == null || configured.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".cairn").toAbsolutePath().normalize();
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    /** {@code sqlite:$CAIRN_HOME/cairn.db} */
    public static String defaultMetadataUri() {
        return "sqlite:" + home().resolve("cairn.db");
    }

    /** {@code $CAIRN_HOME/artifacts} as a {@code file:} URI. */
    public static String defaultArtifactRoot() {
        // Path.toUri adds a trailing slash when the directory exists: the same root either way.
        String uri = home().resolve("artifacts").toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}

package dev.cairn.core.store;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Opens stores by URI scheme, as MLflow picks tracking and artifact stores: the providers
 * registered through {@link ServiceLoader} are asked by scheme; an unknown scheme's error lists
 * the registered ones. It lives in core so that a module that needs a store only by its URI (training,
 * evaluation) depends on the contracts and not on the drivers: cairn-store registers the
 * {@code sqlite}, {@code postgresql}, {@code file} and {@code s3} providers wherever it is on the
 * class path.
 */
public final class Stores {

    private Stores() {}

    /**
     * Opens a metadata store: {@code sqlite:/path/cairn.db}, {@code jdbc:sqlite:…},
     * {@code postgresql://user:pass@host:port/db}, {@code jdbc:postgresql://…}; a plain path is a
     * SQLite file. Experiments created without a location put artifacts under
     * {@code defaultArtifactRoot}.
     */
    public static MetadataStore openMetadata(String uri, String defaultArtifactRoot) {
        if (uri == null || uri.isBlank()) {
            throw CairnException.invalid("store_uri", uri, "sqlite:<path> or postgresql://user:password@host:port/database");
        }
        if (defaultArtifactRoot == null || defaultArtifactRoot.isBlank()) {
            throw CairnException.invalid("default_artifact_root", defaultArtifactRoot, "a directory, file: or s3:// URI");
        }
        String scheme = scheme(uri);
        Map<String, MetadataStoreProvider> providers = registered(MetadataStoreProvider.class, MetadataStoreProvider::schemes);
        MetadataStoreProvider provider = providers.get(scheme == null ? "sqlite" : scheme);
        if (provider == null) throw unknownScheme("store_uri", uri, scheme, providers);
        return provider.open(uri, defaultArtifactRoot);
    }

    /** Opens an artifact repository: {@code file:/path}, {@code s3://bucket/prefix}; a plain path means {@code file}. */
    public static ArtifactRepository openArtifacts(String rootUri) {
        if (rootUri == null || rootUri.isBlank()) {
            throw CairnException.invalid("artifact_root", rootUri, "a directory, file:/path or s3://bucket/prefix");
        }
        String scheme = scheme(rootUri);
        Map<String, ArtifactRepositoryProvider> providers =
                registered(ArtifactRepositoryProvider.class, ArtifactRepositoryProvider::schemes);
        ArtifactRepositoryProvider provider = providers.get(scheme == null ? "file" : scheme);
        if (provider == null) throw unknownScheme("artifact_root", rootUri, scheme, providers);
        return provider.open(rootUri);
    }

    /**
     * The scheme of a URI in lower case ({@code jdbc:x:…} counts as {@code x}), or null for a plain
     * path (including Windows drive letters such as {@code C:\…}).
     */
    public static String scheme(String uri) {
        String s = uri;
        if (s.regionMatches(true, 0, "jdbc:", 0, 5)) s = s.substring(5);
        int colon = s.indexOf(':');
        if (colon < 2) return null;
        String candidate = s.substring(0, colon);
        if (!candidate.matches("[A-Za-z][A-Za-z0-9+.\\-]*")) return null;
        return candidate.toLowerCase(Locale.ROOT);
    }

    private static <P> Map<String, P> registered(Class<P> type, Function<P, Iterable<String>> schemes) {
        Map<String, P> byScheme = new TreeMap<>();
        for (P provider : ServiceLoader.load(type, Stores.class.getClassLoader())) {
            for (String scheme : schemes.apply(provider)) {
                byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), provider);
            }
        }
        return byScheme;
    }

    private static CairnException unknownScheme(String field, String uri, String scheme, Map<String, ?> providers) {
        String shown = uri.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid value '" + shown + "' for '" + field + "': no store is registered for scheme '" + scheme
                        + "'; registered schemes are " + providers.keySet(),
                Map.of("field", field, "value", shown, "expected", "one of the schemes " + providers.keySet()));
    }
}

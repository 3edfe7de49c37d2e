package dev.cairn.server.tracking;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a storage URI (a run's artifact URI, a model version's location) into an
 * {@link ArtifactRepository}. Locations under the server's artifact root reuse that repository
 * (one S3 client, one set of credentials); anything else, such as an experiment created with its own
 * artifact location, is opened by its scheme.
 *
 * <p>What a client may name is checked here, once for the Cairn and the MLflow-compatible APIs: an experiment's
 * artifact location and a model version's source must lie under the artifact root ({@link #requireUnderRoot}), after
 * the tricks of MLflow's published path-traversal CVEs (CVE-2023-1177, -2780, -6909, CVE-2024-0520: {@code ..} parts
 * plain, percent-encoded once or twice or with backslashes, fragments, queries, {@code file://host/}, symbolic links).
 */
public final class ArtifactLocations {

    private final ArtifactRepository root;

    public ArtifactLocations(ArtifactRepository root) {
        this.root = root;
    }

    public ArtifactRepository root() {
        return root;
    }

    /** The repository whose root is {@code uri}. */
    public ArtifactRepository open(String uri) {
        return relativeToRoot(uri).map(rel -> rel.isEmpty() ? root : root.child(rel))
                .orElseGet(() -> Stores.openArtifacts(uri));
    }

    /**
     * {@code location} as sent in {@code field}, accepted only when it names a place under the artifact root: no
     * {@code ..} part however encoded, no query, fragment or parameters, no other host, absolute (a relative path
     * would resolve against the server's working directory), and for a local root no symbolic link leading out.
     * {@code shown} is the value the refusal names (what the client sent, which may differ from {@code location}
     * after a translation such as {@code mlflow-artifacts:/}).
     */
    public String requireUnderRoot(String field, String shown, String location) {
        String expected = "a location under the server's artifact root (e.g. mlflow-artifacts:/NAME, or runs:/ and models:/ "
                + "references for model sources)";
        checkNoRelativeParts(location, field, shown);
        try {
            URI uri = new URI(location.replace(" ", "%20"));
            if (uri.getRawFragment() != null || uri.getRawQuery() != null || (uri.getRawPath() != null && uri.getRawPath().contains(";"))) {
                throw CairnException.invalid(field, shown, "a URI without fragment, parameters or query");
            }
            if ("file".equalsIgnoreCase(uri.getScheme()) && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()
                    && !uri.getRawAuthority().equalsIgnoreCase("localhost")) {
                throw CairnException.invalid(field, shown, "a local location without a host (file:///…)");
            }
            if (uri.getScheme() == null && !location.startsWith("/")) throw CairnException.invalid(field, shown, expected);
        } catch (URISyntaxException e) {
            throw CairnException.invalid(field, shown, "a valid URI or absolute path");
        }
        Optional<String> relative = relativeToRoot(location);
        if (relative.isEmpty()) throw CairnException.invalid(field, shown, expected);
        Path rootPath = localPath(trimSlash(root.rootUri()));
        Path target = localPath(trimSlash(location));
        if (rootPath != null && target != null) {
            // A symbolic link under the root must not lead a write (or a copy) elsewhere.
            DataAccess.roots(rootPath).requireInside(field, shown, target, expected);
        }
        return location;
    }

    /**
     * Refuses a client-supplied location that could not be resolved safely: a {@code ..} part (decoded repeatedly, as
     * MLflow does, so that {@code ..%252f} cannot hide one; {@code /} and {@code \} both separate) or a NUL.
     */
    public static void checkNoRelativeParts(String location, String field, String shown) {
        String decoded = location;
        for (int i = 0; i < 3; i++) {
            String next;
            try {
                next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                break; // a '%' that starts no escape: the rest is literal
            }
            if (next.equals(decoded)) break;
            decoded = next;
        }
        if (decoded.indexOf('\0') >= 0) {
            throw CairnException.invalid(field, shown.replace("\0", "\\0"), "a location without NUL characters");
        }
        for (String part : decoded.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw CairnException.invalid(field, shown, "an absolute location without '..' parts");
            }
        }
    }

    /** The path of {@code uri} under the server's artifact root, when it is under it. */
    Optional<String> relativeToRoot(String uri) {
        String base = trimSlash(root.rootUri());
        String target = trimSlash(uri);
        Optional<String> local = relativeFile(base, target);
        if (local.isPresent()) return local;
        if (target.equals(base)) return Optional.of("");
        if (target.startsWith(base + "/")) return Optional.of(target.substring(base.length() + 1));
        return Optional.empty();
    }

    /** {@code file:/x}, {@code file:///x} and {@code /x} name the same directory. */
    private static Optional<String> relativeFile(String base, String target) {
        Path basePath = localPath(base);
        Path targetPath = localPath(target);
        if (basePath == null || targetPath == null || !targetPath.startsWith(basePath)) return Optional.empty();
        return Optional.of(basePath.relativize(targetPath).toString().replace('\\', '/'));
    }

    private static Path localPath(String uri) {
        try {
            if (uri.startsWith("file:")) return Path.of(URI.create(uri)).toAbsolutePath().normalize();
            if (uri.startsWith("/")) return Path.of(uri).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}

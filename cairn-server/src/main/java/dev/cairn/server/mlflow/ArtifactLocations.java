package dev.cairn.server.mlflow;


/**
 * Translates between where Cairn stores artifacts and what MLflow clients are told, the way
 * {@code mlflow server --serve-artifacts} does: a location under the server's artifact root
 * ({@code file:/srv/cairn/artifacts/1/<run>/artifacts}) is shown as
 * {@code mlflow-artifacts:/1/<run>/artifacts}, which every MLflow client resolves against its
 * tracking URI to {@code /api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts}, served by
 * {@link MlflowArtifactsApi} from the same root. Locations elsewhere ({@code s3://other/…}) are
 * shown as they are, so clients with access to them use them directly, as with MLflow.
 */
final class ArtifactLocations {

    static final String SCHEME = "mlflow-artifacts:";

    private final String root;

    /** @param rootUri the URI of the artifact repository the server serves, e.g. {@code file:/srv/cairn/artifacts} */
    ArtifactLocations(String rootUri) {
        this.root = canonical(rootUri);
    }

    /** The location a client should see; null stays null. */
    String toClient(String stored) {
        if (stored == null) return null;
        String location = canonical(stored);
        if (location.equals(root)) return SCHEME + "/";
        if (location.startsWith(root + "/")) return SCHEME + "/" + location.substring(root.length() + 1);
        return stored;
    }

    /**
     * The location to store for one a client sent: {@code mlflow-artifacts:/x} (or the
     * fully qualified {@code mlflow-artifacts://host:port/x}) becomes the root's {@code x}.
     */
    String fromClient(String sent, String field) {
        if (sent == null || !sent.startsWith(SCHEME)) return sent;
        String path = sent.substring(SCHEME.length());
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (!path.isEmpty()) {
            ArtifactPaths.check(path, field);
        }
        return path.isEmpty() ? root : root + "/" + path;
    }

    /** The path of a stored location relative to the root, or null when it is not under the root. */
    String relativeToRoot(String stored) {
        if (stored == null) return null;
        if (stored.startsWith(SCHEME)) {
            return relativeToRoot(fromClient(stored, "artifact_uri"));
        }
        String location = canonical(stored);
        if (location.equals(root)) return "";
        if (location.startsWith(root + "/")) return location.substring(root.length() + 1);
        return null;
    }

    /**
     * One spelling per location, so that {@code file:///a/b/}, {@code file:/a/b} and {@code /a/b}
     * compare equal: a store and a repository opened from the same directory may spell it differently.
     */
    static String canonical(String uri) {
        String s = uri.trim();
        if (s.startsWith("file:///")) {
            s = "file:/" + s.substring("file:///".length());
        } else if (s.startsWith("file://localhost/")) {
            s = "file:/" + s.substring("file://localhost/".length());
        } else if (s.startsWith("/")) {
            s = "file:" + s;
        }
        while (s.endsWith("/") && !s.endsWith(":/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Refuses a client-supplied location that could not be resolved safely. */
    static void checkNoRelativeParts(String location, String field) {
        dev.cairn.server.tracking.ArtifactLocations.checkNoRelativeParts(location, field, location);
    }
}

package dev.cairn.server.mlflow;

import dev.cairn.core.error.CairnException;

/**
 * Checks artifact paths sent by clients before they reach a repository, as MLflow's
 * {@code validate_path_is_safe} does: relative, '/'-separated, without '..' parts, NUL bytes or
 * backslashes, so that no request names a file outside the artifact root.
 */
final class ArtifactPaths {

    private ArtifactPaths() {}

    /** Returns the path with leading and trailing slashes removed, or refuses it naming {@code field}. */
    static String check(String path, String field) {
        if (path == null) return "";
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw CairnException.invalid(field, path, "a relative path with '/' separators and no NUL or '\\' characters");
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.contains("://")) {
            throw CairnException.invalid(field, path, "a path relative to the artifact root, not an absolute path or URI");
        }
        String trimmed = path.replaceAll("/+$", "");
        for (String part : trimmed.split("/", -1)) {
            if (part.equals("..") || part.equals(".")) {
                throw CairnException.invalid(field, path, "a path without '.' or '..' parts");
            }
            if (part.isEmpty() && !trimmed.isEmpty()) {
                throw CairnException.invalid(field, path, "a path without empty parts ('//')");
            }
        }
        return trimmed;
    }

    /** The last part of a '/'-separated path. */
    static String baseName(String path) {
        String trimmed = path.replaceAll("/+$", "");
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }

    static String join(String directory, String name) {
        if (directory == null || directory.isEmpty()) return name;
        if (name == null || name.isEmpty()) return directory;
        return directory + "/" + name;
    }
}

package dev.cairn.client.remote;

import dev.cairn.core.error.CairnException;

/**
 * Artifact paths checked on the client before they become part of a URL: relative, '/'-separated,
 * without '.' or '..' parts, backslashes or NUL, the same rule the stores and the server apply, so a
 * bad path gets the same INVALID_PARAMETER_VALUE remote as embedded (and never a URL that a proxy
 * might normalise into another resource).
 */
final class ArtifactPaths {

    private ArtifactPaths() {}

    /** The path without leading or trailing slashes; "" for the root. */
    static String normalize(String path) {
        if (path == null) return "";
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw CairnException.invalid("path", path, "a relative path with '/' separators and no NUL or '\\' characters");
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.contains("://")) {
            throw CairnException.invalid("path", path, "a path relative to the repository's root, not an absolute path or URI");
        }
        String trimmed = path.replaceAll("/+$", "");
        if (trimmed.isEmpty()) return "";
        for (String part : trimmed.split("/", -1)) {
            if (part.equals("..") || part.equals(".")) {
                throw CairnException.invalid("path", path, "a path without '.' or '..' parts");
            }
            if (part.isEmpty()) throw CairnException.invalid("path", path, "a path without empty parts ('//')");
        }
        return trimmed;
    }

    /** A file's path: like {@link #normalize} but not the root. */
    static String normalizeFile(String path) {
        String normalized = normalize(path);
        if (normalized.isEmpty()) throw CairnException.invalid("path", path, "the path of a file, not the root");
        return normalized;
    }

    static String join(String directory, String name) {
        if (directory == null || directory.isEmpty()) return name == null ? "" : name;
        if (name == null || name.isEmpty()) return directory;
        return directory + "/" + name;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** {@code path} relative to {@code prefix}, which it is known to be under. */
    static String relativeTo(String prefix, String path) {
        if (prefix.isEmpty()) return path;
        if (path.equals(prefix)) return "";
        return path.startsWith(prefix + "/") ? path.substring(prefix.length() + 1) : path;
    }
}

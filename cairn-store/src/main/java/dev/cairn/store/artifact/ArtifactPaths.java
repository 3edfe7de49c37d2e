package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates and normalises the relative paths callers pass to an artifact repository. Both the
 * local and the S3 repository go through here, so a path is accepted or refused the same way
 * whatever the backend.
 */
final class ArtifactPaths {

    /**
     * Names starting with this prefix belong to the repository itself (checksum stores, temporary
     * files, multipart parts): callers may not create them and listings never show them.
     */
    static final String RESERVED_PREFIX = ".cairn-";

    /**
     * The longest name of one path segment, in UTF-8 bytes: what local file systems (ext4, XFS,
     * APFS, NTFS) allow. Checked for every backend so that a path accepted on S3 can still be
     * downloaded to, or served from, a local directory.
     */
    static final int MAX_SEGMENT_BYTES = 255;
    /** The longest whole path, in UTF-8 bytes: S3's key limit, well below Linux's PATH_MAX. */
    static final int MAX_PATH_BYTES = 1024;

    private ArtifactPaths() {}

    /**
     * The path as '/'-joined segments, without empty or "." segments and without a trailing
     * slash; "" is the root. Refuses anything that could name a file outside the root.
     */
    static String normalize(String path) {
        if (path == null) throw CairnException.invalid("path", null, "a relative path using '/'");
        if (path.startsWith("/")) {
            throw CairnException.invalid("path", path, "a relative path (absolute paths are refused)");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                throw CairnException.invalid("path", path, "a path using '/' as separator (backslashes are refused)");
            }
            if (c == '\0' || Character.isISOControl(c)) {
                throw CairnException.invalid("path", path.replace("\0", "\\0"), "a path without NUL or control characters");
            }
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) continue;
            if (segment.equals("..")) {
                throw CairnException.invalid("path", path, "a path without '..' segments");
            }
            int bytes = segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_SEGMENT_BYTES) {
                throw CairnException.invalid("path", path, "a path whose names are at most " + MAX_SEGMENT_BYTES
                        + " bytes long (UTF-8); '" + segment.substring(0, Math.min(40, segment.length())) + "…' has " + bytes);
            }
            if (segment.startsWith(RESERVED_PREFIX)) {
                throw CairnException.invalid("path", path,
                        "a path without segments starting with '" + RESERVED_PREFIX + "' (reserved for the repository)");
            }
            segments.add(segment);
        }
        int total = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (total > MAX_PATH_BYTES) {
            throw CairnException.invalid("path", path.substring(0, 80) + "…", "a path of at most " + MAX_PATH_BYTES
                    + " bytes (UTF-8); it has " + total);
        }
        if (segments.size() == 1 && segments.get(0).matches("[A-Za-z]:")) {
            throw CairnException.invalid("path", path, "a relative path (drive letters are refused)");
        }
        return String.join("/", segments);
    }

    /** Like {@link #normalize} but the root ("") is refused: the path must name a file. */
    static String normalizeFile(String path) {
        String normalized = normalize(path);
        if (normalized.isEmpty()) throw CairnException.invalid("path", path, "the path of a file, not the root");
        return normalized;
    }

    static boolean isReserved(String name) {
        return name.startsWith(RESERVED_PREFIX);
    }

    /** Joins a normalised directory path and a child name. */
    static String join(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }
}

package dev.cairn.core.access;

import dev.cairn.core.error.CairnException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a request (or a confined pipeline) may reach on the server's machine: files only under the {@code roots},
 * databases only through {@code connections} an administrator named ({@code NAME → JDBC URL}) or URLs starting with
 * one of the {@code jdbcPrefixes}. The one confinement of Cairn: the server's data, training and evaluation routes use
 * it directly, and a pipeline's {@code Workspace} uses it for its directory and roots.
 *
 * <p>A path is confined after everything that could lead elsewhere is resolved: a {@code file:} URI is decoded, a
 * relative path resolves against the first root, {@code ..} parts are normalized away, and the real path (symbolic
 * links followed) of the longest existing prefix must lie under a root's real path. Refusals name the field and the
 * value the caller gave, never the root or the resolved path (those are the server's, not the caller's).
 *
 * @param roots        directories whose files may be read (and written, where a route writes); none: no file at all
 * @param connections  named JDBC URLs a request may name; the URL itself never comes from a request
 * @param jdbcPrefixes JDBC URL prefixes a pipeline spec may open (the server's {@code --pipeline-jdbc-prefix})
 */
public record DataAccess(List<Path> roots, Map<String, String> connections, List<String> jdbcPrefixes) {

    /** A connection name: what a request and {@code --connection NAME=URL} spell. */
    public static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]{0,63}");

    /** Characters DuckDB and globbing readers expand: a confined path holding them could name files it did not spell. */
    private static final Pattern GLOB = Pattern.compile("[*?\\[\\]{}]");

    public DataAccess {
        roots = roots == null ? List.of() : roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        connections = connections == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(connections));
        jdbcPrefixes = jdbcPrefixes == null ? List.of() : List.copyOf(jdbcPrefixes);
        connections.forEach((name, url) -> {
            if (!CONNECTION_NAME.matcher(name).matches()) {
                throw CairnException.invalid("connection", name, "a connection name of letters, digits, '_', '.' and '-' starting with a letter");
            }
            if (!isJdbc(url)) throw CairnException.invalid("connection " + name, redact(url), "a JDBC URL (jdbc:…)");
        });
    }

    /** Nothing: no file, no database. The default of a server no administrator configured. */
    public static DataAccess none() {
        return new DataAccess(List.of(), Map.of(), List.of());
    }

    /** Files under {@code roots} only, no databases. */
    public static DataAccess roots(Path... roots) {
        return new DataAccess(List.of(roots), Map.of(), List.of());
    }

    /** The same access with other named connections. */
    public DataAccess withConnections(Map<String, String> named) {
        return new DataAccess(roots, named, jdbcPrefixes);
    }

    /**
     * The file a request names in {@code field}: a path (relative ones resolve in the first root) or a {@code file:}
     * URI, which must lie under a root once {@code ..} and symbolic links are resolved. Returns the real path when the
     * file exists (so what is read is what was checked), else the normalized one.
     */
    public Path file(String field, String given) {
        if (roots.isEmpty()) {
            throw CairnException.invalid(field, given, "no file: this server reads files only under its data roots, and none is "
                    + "configured (start it with --data-root DIR)");
        }
        return file(field, given, roots.get(0));
    }

    /** As {@link #file(String, String)}, relative paths resolving against {@code base} (which must itself be allowed). */
    public Path file(String field, String given, Path base) {
        Path resolved = resolve(field, given, base);
        return requireInside(field, given, resolved, "a file under the server's data roots");
    }

    /** As {@link #file(String, String)}, and the file must exist as a regular, readable file. */
    public Path existingFile(String field, String given, String expected) {
        Path path = file(field, given);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) throw CairnException.invalid(field, given, expected);
        return path;
    }

    /**
     * {@code resolved} (an absolute, normalized path) if it lies under a root, symbolic links followed; else a refusal
     * naming {@code field}, the value as {@code given} and {@code expected}.
     */
    public Path requireInside(String field, String given, Path resolved, String expected) {
        Path real = realPathOfExistingPrefix(resolved);
        for (Path root : roots) {
            if (real.startsWith(realPathOfExistingPrefix(root))) return Files.exists(real) ? real : resolved;
        }
        throw CairnException.invalid(field, given, expected);
    }

    /** The JDBC URL of the connection a request names. A raw URL is refused: requests name connections, never URLs. */
    public String connection(String field, String name) {
        if (name == null || name.isBlank() || !connections.containsKey(name)) {
            throw CairnException.invalid(field, isJdbc(name) ? redact(name) : name, connectionsExpected());
        }
        return connections.get(name);
    }

    /** The refusal of a raw JDBC URL sent in {@code field}: the value redacted, the named connections offered instead. */
    public CairnException rawJdbcUrl(String field, String url) {
        return CairnException.invalid(field, redact(url), "no JDBC URL: name a connection the administrator registered in "
                + "'connection' instead (" + connectionsExpected() + ")");
    }

    private String connectionsExpected() {
        return connections.isEmpty()
                ? "a named connection, but none is configured (start the server with --connection NAME=JDBC_URL)"
                : "one of the named connections " + String.join(", ", connections.keySet().stream().sorted().toList());
    }

    /** Whether {@code url} is one of the named connections' URLs or starts with an allowed prefix. */
    public boolean allowsJdbc(String url) {
        if (url == null) return false;
        if (connections.containsValue(url)) return true;
        for (String prefix : jdbcPrefixes) if (url.startsWith(prefix)) return true;
        return false;
    }

    /** Whether {@code value} reads as a JDBC URL rather than a file path. */
    public static boolean isJdbc(String value) {
        return value != null && value.toLowerCase(Locale.ROOT).startsWith("jdbc:");
    }

    /** A JDBC URL with any password parameter and user-info blanked, for messages and lineage. */
    public static String redact(String url) {
        if (url == null) return null;
        return url.replaceAll("(?i)(password|pwd|secret|token)=[^&;]*", "$1=***")
                .replaceAll("(//)[^/@:]+:[^/@]*@", "$1***:***@");
    }

    /** {@code given} resolved against {@code base}: a {@code file:} URI decoded, {@code ..} normalized away. */
    private static Path resolve(String field, String given, Path base) {
        Objects.requireNonNull(base, "base");
        if (given == null || given.isBlank()) throw CairnException.invalid(field, given, "a file path");
        if (given.indexOf('\0') >= 0) throw CairnException.invalid(field, given.replace("\0", "\\0"), "a file path without NUL characters");
        if (GLOB.matcher(given).find()) throw CairnException.invalid(field, given, "a file path without glob characters (* ? [ ] { })");
        try {
            Path path;
            if (given.regionMatches(true, 0, "file:", 0, 5)) {
                URI uri = URI.create(given);
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw CairnException.invalid(field, given, "a file: URI without query or fragment");
                }
                if (uri.getAuthority() != null && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                    throw CairnException.invalid(field, given, "a local file: URI (no host)");
                }
                path = Path.of(new URI("file", null, uri.getPath(), null));
            } else if (given.matches("^[A-Za-z][A-Za-z0-9+.\\-]+://.*")) {
                throw CairnException.invalid(field, given, "a file path or a file: URI (no other scheme)");
            } else {
                path = base.resolve(given);
            }
            return path.toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw CairnException.invalid(field, given, "a valid file path or file: URI");
        }
    }

    /**
     * The real path of the longest existing prefix, with the rest appended: a symbolic link cannot lead out, not even
     * a dangling one (its target is followed as text, so a later write through it is judged by where it lands).
     */
    public static Path realPathOfExistingPrefix(Path path) {
        return realPathOfExistingPrefix(path, 0);
    }

    private static Path realPathOfExistingPrefix(Path path, int depth) {
        Path existing = path;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            if (name == null) break;
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) return path;
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            if (depth < 40 && Files.isSymbolicLink(existing)) {
                try {
                    Path target = existing.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(existing)).normalize();
                    return realPathOfExistingPrefix(rest == null ? target : target.resolve(rest).normalize(), depth + 1);
                } catch (IOException | RuntimeException unreadable) {
                    // falls through to a path no root contains
                }
            }
            // Unresolvable: a path under no root, so whatever asked is refused rather than let through.
            return Path.of("/").resolve("\0unresolvable").resolve(path.toString().replace('/', '_'));
        }
    }
}

package dev.cairn.pipeline.engine;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a pipeline's steps may reach on this machine. Relative paths in a spec resolve against its {@code directory}
 * (the spec file's own, or the server's pipelines directory). A {@code confined} workspace (the server's: specs
 * there are inputs from whoever may register them) refuses any path that leaves the directory and the extra
 * {@code roots}, symbolic links included, and any JDBC URL not starting with one of {@code jdbcPrefixes}; an
 * embedded SQLite file named by a relative JDBC URL ({@code jdbc:sqlite:master.db}) resolves inside the directory.
 * An unconfined workspace (a person running a spec from the CLI) reaches what that person can. The confinement itself
 * is the server's one {@link DataAccess} over the directory and the roots.
 *
 * @param directory    where relative paths resolve
 * @param confined     whether paths and JDBC URLs are limited as above
 * @param roots        other directories a confined workspace may read and write (e.g. a data directory)
 * @param jdbcPrefixes the JDBC URL prefixes a confined workspace may open, e.g. {@code jdbc:postgresql://db:5432/}
 * @param allowCommands whether {@code command} steps (user code) may run
 */
public record Workspace(Path directory, boolean confined, List<Path> roots, List<String> jdbcPrefixes,
                        boolean allowCommands) {

    public Workspace {
        Objects.requireNonNull(directory, "directory");
        directory = directory.toAbsolutePath().normalize();
        roots = roots == null ? List.of() : roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        jdbcPrefixes = jdbcPrefixes == null ? List.of() : List.copyOf(jdbcPrefixes);
    }

    /** A person's workspace: the spec's directory, nothing confined, commands allowed. */
    public static Workspace local(Path directory) {
        return new Workspace(directory, false, List.of(), List.of(), true);
    }

    /**
     * The workspace of one spec: its relative paths resolve in the spec file's directory when that is inside this
     * workspace (a spec in a subdirectory of the server's pipelines directory); everything this workspace reaches
     * stays reachable. {@code specSource} is the spec's file path, or a name that is no path (then: this one).
     */
    public Workspace forSpec(String specSource) {
        if (specSource == null || specSource.isBlank()) return this;
        Path parent;
        try {
            Path file = directory.resolve(specSource).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) return this;
            parent = file.getParent();
        } catch (java.nio.file.InvalidPathException e) {
            return this;
        }
        if (parent == null || parent.equals(directory)) return this;
        if (confined && !parent.startsWith(directory)) return this;
        List<Path> more = new java.util.ArrayList<>(roots);
        more.add(directory);
        return new Workspace(parent, confined, more, jdbcPrefixes, allowCommands);
    }

    /**
     * The file {@code path} names, resolved against the directory; {@code field} names it in errors
     * ({@code steps.validate.with.schema}). In a confined workspace a path outside the directory and roots is
     * refused (INVALID_PARAMETER_VALUE), whether by {@code ..}, an absolute path or a symbolic link.
     */
    public Path file(String field, String path) {
        if (path == null || path.isBlank()) throw CairnException.invalid(field, path, "a file path");
        if (path.indexOf('\0') >= 0) throw CairnException.invalid(field, path.replace("\0", "\\0"), "a file path");
        Path resolved;
        try {
            resolved = directory.resolve(path).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw CairnException.invalid(field, path, "a valid file path (" + e.getReason() + ")");
        }
        if (confined) requireInside(field, path, resolved);
        return resolved;
    }

    /**
     * A JDBC URL a step may open. In a confined workspace the URL must start with one of the configured prefixes,
     * or be an SQLite file inside the workspace: {@code jdbc:sqlite:master.db} becomes
     * {@code jdbc:sqlite:<directory>/master.db}. Unconfined, a relative SQLite path also resolves against the
     * directory, so a spec means the same file wherever it is run from.
     */
    public String jdbcUrl(String field, String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
            throw CairnException.invalid(field, url, "a JDBC URL (jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB, ...)");
        }
        if (url.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")) {
            String rest = url.substring("jdbc:sqlite:".length());
            int query = rest.indexOf('?');
            String file = query < 0 ? rest : rest.substring(0, query);
            String options = query < 0 ? "" : rest.substring(query);
            if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
                if (confined) throw CairnException.invalid(field, url, "an SQLite file inside the pipeline's workspace");
                return url;
            }
            if (access().allowsJdbc(url)) return url;
            return "jdbc:sqlite:" + file(field, file) + options;
        }
        if (!confined || access().allowsJdbc(url)) return url;
        throw CairnException.invalid(field, redact(url), "a JDBC URL this server allows (starting with one of "
                + (jdbcPrefixes.isEmpty() ? "none configured: set cairn server --pipeline-jdbc-prefix" : String.join(", ", jdbcPrefixes))
                + ")");
    }

    /** Whether {@code value} reads as a JDBC URL rather than a file path. */
    public static boolean isJdbc(String value) {
        return DataAccess.isJdbc(value);
    }

    /** A JDBC URL with any password parameter blanked, for messages and lineage. */
    public static String redact(String url) {
        return DataAccess.redact(url);
    }

    private void requireInside(String field, String given, Path resolved) {
        access().requireInside(field, given, resolved, "a path inside the pipeline's workspace " + directory
                + (roots.isEmpty() ? "" : " or " + roots));
    }

    /**
     * What a library reading on the workspace's behalf (the feature store reading a view's sources) may reach:
     * confined, the directory and the roots and the JDBC prefixes; unconfined, any file and any JDBC URL.
     */
    public DataAccess dataAccess() {
        return confined ? access() : new DataAccess(List.of(Path.of("/").toAbsolutePath()), Map.of(), List.of("jdbc:"));
    }

    /** The directory and the roots as the server's data access, with the JDBC prefixes. */
    private DataAccess access() {
        return new DataAccess(java.util.stream.Stream.concat(java.util.stream.Stream.of(directory), roots.stream()).toList(),
                Map.of(), jdbcPrefixes);
    }
}

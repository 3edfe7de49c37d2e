package dev.cairn.core.uri;

import dev.cairn.core.error.CairnException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a model or a run's artifact, as accepted wherever a model URI is:
 * {@code models:/name/3}, {@code models:/name@champion}, {@code runs:/<run-id>/path}, or a plain
 * storage location (a path, {@code file:}, {@code s3://}).
 */
public sealed interface ModelReference {

    /** {@code models:/name/version} */
    record ByVersion(String name, long version) implements ModelReference {
        @Override
        public String toString() {
            return "models:/" + name + "/" + version;
        }
    }

    /** {@code models:/name@alias} */
    record ByAlias(String name, String alias) implements ModelReference {
        @Override
        public String toString() {
            return "models:/" + name + "@" + alias;
        }
    }

    /** {@code runs:/run-id/path}; {@code path} may be empty for the run's artifact root. */
    record RunArtifact(String runId, String path) implements ModelReference {
        @Override
        public String toString() {
            return "runs:/" + runId + (path.isEmpty() ? "" : "/" + path);
        }
    }

    /** Anything else: a local path or a storage URI. */
    record Location(String uri) implements ModelReference {
        @Override
        public String toString() {
            return uri;
        }
    }

    /**
     * A registered model's name, as MLflow accepts it: any non-empty text (unicode, '/', ':', '@',
     * a leading '_' included) up to 256 characters, MLflow's column size, without NUL, which
     * PostgreSQL cannot store. {@code models:/} URIs split at the last '/' or '@', so every such
     * name can be referenced.
     */
    Pattern NAME = Pattern.compile("[^\\x00]{1,256}");
    Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]{0,254}");

    static ModelReference parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw CairnException.invalid("model_uri", uri, "models:/<name>/<version>, models:/<name>@<alias>, runs:/<run-id>/<path> or a path");
        }
        if (uri.startsWith("models:/")) {
            String rest = uri.substring("models:/".length());
            int at = rest.lastIndexOf('@');
            int slash = rest.lastIndexOf('/');
            // "name@alias" when what follows the last '@' is an alias; a name may itself hold '@'
            // ("team@x/3" is version 3 of "team@x").
            if (at > 0 && ALIAS.matcher(rest.substring(at + 1)).matches()) {
                String name = rest.substring(0, at);
                check(NAME, name, uri);
                return new ByAlias(name, rest.substring(at + 1));
            }
            if (slash > 0) {
                String name = rest.substring(0, slash);
                String version = rest.substring(slash + 1);
                check(NAME, name, uri);
                try {
                    long v = Long.parseLong(version);
                    if (v < 1) throw new NumberFormatException();
                    return new ByVersion(name, v);
                } catch (NumberFormatException e) {
                    throw CairnException.invalid("model_uri", uri, "a positive version number after the last '/'");
                }
            }
            if (at > 0) {
                throw CairnException.invalid("model_uri", uri, "an alias of letters, digits, '_' and '-' after '@'");
            }
            throw CairnException.invalid("model_uri", uri, "models:/<name>/<version> or models:/<name>@<alias>");
        }
        if (uri.startsWith("runs:/")) {
            Matcher m = Pattern.compile("runs:/([0-9a-fA-F]{32}|[A-Za-z0-9_\\-]{1,64})(?:/(.*))?").matcher(uri);
            if (!m.matches()) {
                throw CairnException.invalid("model_uri", uri, "runs:/<run-id>/<path>");
            }
            String path = m.group(2) == null ? "" : m.group(2).replaceAll("/+$", "");
            return new RunArtifact(m.group(1), path);
        }
        return new Location(uri);
    }

    private static void check(Pattern pattern, String name, String uri) {
        if (!pattern.matcher(name).matches()) {
            throw CairnException.invalid("model_uri", uri, "a model name of 1 to 256 characters without NUL");
        }
    }
}

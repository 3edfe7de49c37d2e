package dev.cairn.features.source;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.features.definition.SourceDefinition;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns a source definition into cairn-data's {@link DataSource}, within what the feature store may reach (its
 * {@link DataAccess}: files under its roots, JDBC URLs it allows). A JDBC password comes from the environment
 * variable the definition names, never from the definition.
 */
public final class SourceOpener {
    private final DataAccess access;
    private final Function<String, String> environment;

    public SourceOpener(DataAccess access, Function<String, String> environment) {
        this.access = access;
        this.environment = environment;
    }

    /** The source as cairn-data reads it; refusals name the source's field ({@code sources.orders.path}). */
    public DataSource open(SourceDefinition source) {
        String field = "sources." + source.name();
        return switch (source.location()) {
            case SourceDefinition.FileLocation f -> {
                Path path = access.file(field + ".path", f.path());
                FileFormat format = f.format() == null ? FileFormat.of(path) : switch (f.format()) {
                    case "csv" -> FileFormat.CSV;
                    case "parquet" -> FileFormat.PARQUET;
                    default -> FileFormat.JSON_LINES;
                };
                CsvOptions csv = f.delimiter() == null ? CsvOptions.DEFAULT : CsvOptions.DEFAULT.withDelimiter(f.delimiter());
                yield new FileSource(path, format, csv, "source " + source.name() + " (" + f.path() + ")");
            }
            case SourceDefinition.JdbcLocation j -> {
                if (!access.allowsJdbc(j.url()) && !allowsSqliteFile(field + ".jdbc", j.url())) {
                    throw CairnException.invalid(field + ".jdbc", DataAccess.redact(j.url()), "a JDBC URL this feature store may open");
                }
                String password = null;
                if (j.passwordEnv() != null) {
                    password = environment.apply(j.passwordEnv());
                    if (password == null) {
                        throw CairnException.invalid(field + ".password_env", j.passwordEnv(), "an environment variable that is set "
                                + "(it holds the database password)");
                    }
                }
                yield new JdbcSource(j.url(), j.user(), password, j.table() != null ? j.table() : j.query(), "source " + source.name());
            }
        };
    }

    /**
     * Whether {@code url} is an embedded SQLite file under the access's roots (refused, naming {@code field}, when it is
     * a file outside them). Applying a definition resolves {@code jdbc:sqlite:master.db} to the file beside it, so a
     * store confined to a directory (a server's pipelines) must open that file as it opens any other file there,
     * without a JDBC prefix for it.
     */
    private boolean allowsSqliteFile(String field, String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")) return false;
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        String file = q < 0 ? rest : rest.substring(0, q);
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:") || file.indexOf(0) >= 0 || !Path.of(file).isAbsolute()) {
            return false;
        }
        if (access.roots().isEmpty()) return false;
        access.file(field, file);
        return true;
    }

    /**
     * How a definition file's places resolve when it is applied: relative paths and SQLite files against the file's
     * directory, then checked against the access.
     */
    public dev.cairn.features.definition.DefinitionReader.Places places(Path directory) {
        return new dev.cairn.features.definition.DefinitionReader.Places() {
            @Override
            public String file(String written) {
                return access.file("path", written, directory).toString();
            }

            @Override
            public String jdbc(String written) {
                String lower = written.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("jdbc:sqlite:")) {
                    String rest = written.substring("jdbc:sqlite:".length());
                    int q = rest.indexOf('?');
                    String file = q < 0 ? rest : rest.substring(0, q);
                    String options = q < 0 ? "" : rest.substring(q);
                    // An SQLite file named relative to the definition file means the same file wherever it is applied from.
                    if (!file.isEmpty() && !file.equals(":memory:") && !file.startsWith("file:")) {
                        return "jdbc:sqlite:" + access.file("jdbc", file, directory) + options;
                    }
                }
                if (!access.allowsJdbc(written)) {
                    throw CairnException.invalid("jdbc", DataAccess.redact(written), "a JDBC URL this feature store may open");
                }
                return written;
            }
        };
    }
}

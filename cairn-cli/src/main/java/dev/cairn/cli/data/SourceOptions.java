package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to read a source given as a file path or a JDBC URL (shared by the data commands). */
public final class SourceOptions {
    @Option(names = "--table", description = "JDBC sources: the table to read (or use --query).")
    String table;

    @Option(names = "--query", description = "JDBC sources: the SELECT query to read.")
    String query;

    @Option(names = "--user", description = "JDBC sources: the user name.")
    String user;

    @Option(names = "--password", description = "JDBC sources: the password (or set CAIRN_JDBC_PASSWORD).")
    String password;

    @Option(names = "--delimiter", description = "CSV: the field delimiter (detected when not given).")
    String delimiter;

    @Option(names = "--quote", description = "CSV: the quote character (detected when not given).")
    String quote;

    @Option(names = "--encoding", defaultValue = "utf-8", description = "CSV: utf-8 (default), utf-16 or latin-1.")
    String encoding;

    @Option(names = "--no-header", description = "CSV: the first line is data, not column names.")
    boolean noHeader;

    @Option(names = "--format", description = "The file format when the extension does not say: csv, parquet or jsonl.")
    String format;

    public DataSource source(String location) {
        if (location.startsWith("jdbc:")) {
            String what = query != null ? query : table;
            if (what == null) throw CairnException.invalid("--table", null, "--table or --query for a JDBC source");
            String pw = password != null ? password : System.getenv("CAIRN_JDBC_PASSWORD");
            return new JdbcSource(location, user, pw, what);
        }
        Path path = Path.of(location);
        FileFormat fileFormat = format == null ? FileFormat.of(path) : switch (format.toLowerCase()) {
            case "csv", "tsv" -> FileFormat.CSV;
            case "parquet" -> FileFormat.PARQUET;
            case "jsonl", "json", "ndjson" -> FileFormat.JSON_LINES;
            default -> throw CairnException.invalid("--format", format, "csv, parquet or jsonl");
        };
        return new FileSource(path, fileFormat, new CsvOptions(!noHeader, delimiter, quote, encoding));
    }

    /** A short name for reports and runs: the file's name without its extension. */
    static String nameOf(String location) {
        if (location.startsWith("jdbc:")) return "jdbc";
        String file = Path.of(location).getFileName().toString();
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

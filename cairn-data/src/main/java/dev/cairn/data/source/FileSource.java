package dev.cairn.data.source;

import java.nio.file.Path;

/**
 * A CSV, Parquet or JSON-lines file; {@code csv} applies to CSV only. {@code label} is how whoever asked named it (a
 * request's path relative to the server's data root): messages and profiles show it rather than the server's own
 * absolute path. Null: the path itself.
 */
public record FileSource(Path path, FileFormat format, CsvOptions csv, String label) implements DataSource {

    public FileSource {
        path = path.toAbsolutePath().normalize();
        if (csv == null) csv = CsvOptions.DEFAULT;
    }

    public FileSource(Path path, FileFormat format, CsvOptions csv) {
        this(path, format, csv, null);
    }

    /** A file whose format its extension names, CSV read with the default options. */
    public static FileSource of(Path path) {
        return new FileSource(path, FileFormat.of(path), CsvOptions.DEFAULT);
    }

    public static FileSource csv(Path path, CsvOptions options) {
        return new FileSource(path, FileFormat.CSV, options);
    }

    @Override
    public String describe() {
        return label != null ? label : path.toString();
    }
}

package dev.cairn.data.source;

import java.nio.file.Path;

/** A CSV, Parquet or JSON-lines file; {@code csv} applies to CSV only. */
public record FileSource(Path path, FileFormat format, CsvOptions csv) implements DataSource {

    public FileSource {
        path = path.toAbsolutePath().normalize();
        if (csv == null) csv = CsvOptions.DEFAULT;
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
        return path.toString();
    }
}

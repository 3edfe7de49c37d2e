package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats DuckDB reads for Cairn. */
public enum FileFormat {
    CSV,
    PARQUET,
    JSON_LINES;

    /** The format a file's extension names (.csv/.tsv/.txt, .parquet/.pq, .jsonl/.ndjson/.json). */
    public static FileFormat of(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) return CSV;
        if (name.endsWith(".parquet") || name.endsWith(".pq")) return PARQUET;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return JSON_LINES;
        throw CairnException.invalid("file", path.toString(),
                "a file ending in .csv, .tsv, .parquet, .jsonl, .ndjson or .json");
    }
}

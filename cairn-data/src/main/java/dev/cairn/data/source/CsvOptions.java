package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import java.util.Locale;
import java.util.Set;

/**
 * How to read a CSV file. {@code delimiter} and {@code quote} null mean "detect"; {@code encoding}
 * is one DuckDB reads natively: utf-8, utf-16 or latin-1.
 */
public record CsvOptions(boolean header, String delimiter, String quote, String encoding) {
    private static final Set<String> ENCODINGS = Set.of("utf-8", "utf-16", "latin-1");

    public static final CsvOptions DEFAULT = new CsvOptions(true, null, null, "utf-8");

    public CsvOptions {
        encoding = encoding == null ? "utf-8" : encoding.toLowerCase(Locale.ROOT).replace("utf8", "utf-8")
                .replace("iso-8859-1", "latin-1").replace("latin1", "latin-1").replace("utf16", "utf-16");
        if (!ENCODINGS.contains(encoding)) {
            throw CairnException.invalid("encoding", encoding, "one of utf-8, utf-16, latin-1");
        }
        if (delimiter != null && delimiter.isEmpty()) delimiter = null;
        if (quote != null && quote.isEmpty()) quote = null;
    }

    public CsvOptions withEncoding(String newEncoding) {
        return new CsvOptions(header, delimiter, quote, newEncoding);
    }

    public CsvOptions withDelimiter(String newDelimiter) {
        return new CsvOptions(header, newDelimiter, quote, encoding);
    }
}

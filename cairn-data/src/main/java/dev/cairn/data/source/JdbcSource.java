package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import java.util.regex.Pattern;

/**
 * A table or a query of a JDBC database (SQLite and PostgreSQL drivers are bundled). Its rows are
 * streamed into DuckDB with a bounded fetch size, never read into memory at once. {@code label} names it in messages
 * instead of its URL (a server's named connection); null: the URL without its parameters.
 */
public record JdbcSource(String url, String user, String password, String tableOrQuery, String label) implements DataSource {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$.]*");

    public JdbcSource {
        if (url == null || !url.startsWith("jdbc:")) {
            throw CairnException.invalid("url", url, "a JDBC URL such as jdbc:sqlite:/path/db or jdbc:postgresql://host/db");
        }
        if (tableOrQuery == null || tableOrQuery.isBlank()) {
            throw CairnException.invalid("table", tableOrQuery, "a table name or a SELECT query");
        }
    }

    /** A source whose messages show its URL (without parameters or credentials). */
    public JdbcSource(String url, String user, String password, String tableOrQuery) {
        this(url, user, password, tableOrQuery, null);
    }

    /** The SQL to run against the source database. */
    public String query() {
        String trimmed = tableOrQuery.strip();
        return TABLE_NAME.matcher(trimmed).matches() ? "SELECT * FROM " + trimmed : trimmed;
    }

    @Override
    public String describe() {
        if (label != null) return label + " (" + tableOrQuery.strip() + ")";
        int q = url.indexOf('?');
        String safeUrl = (q < 0 ? url : url.substring(0, q)).replaceAll("(//)[^/@]*@", "$1");
        return safeUrl + " (" + tableOrQuery.strip() + ")";
    }
}

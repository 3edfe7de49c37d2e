package dev.cairn.pipeline.snapshot;

import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.data.source.QuerySource;
import java.util.regex.Pattern;

/**
 * Where a snapshot's rows were read from, as its manifest records it: enough to say what the data was and to read
 * it again, never a secret. A JDBC source keeps its URL without the password (neither the one given apart nor one
 * written into the URL: {@code user:password@}, {@code password=} parameters) and its user; a query that Cairn
 * composed keeps only its description. {@code kind} is {@code file}, {@code jdbc} or {@code query}.
 */
public record SnapshotSource(String kind, String description, String path, String format, String url, String user,
                             String query) {
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?;]*):[^@/?;]*@");
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([?&;](?:password|passwd|pwd|secret|token|sslpassword|sslkey|access_?key)=)[^&;]*");
    static final String REDACTED = "***";

    public static SnapshotSource of(DataSource source) {
        return switch (source) {
            case FileSource file -> new SnapshotSource("file", file.describe(), file.path().toString(), file.format().name(),
                    null, null, null);
            case JdbcSource jdbc -> {
                String url = redact(jdbc.url());
                yield new SnapshotSource("jdbc", url + " (" + jdbc.tableOrQuery().strip() + ")", null, null, url, jdbc.user(),
                        jdbc.tableOrQuery().strip());
            }
            case QuerySource query -> new SnapshotSource("query", query.describe(), null, null, null, null, null);
        };
    }

    /** The URL with every password it carries replaced by {@value #REDACTED}. */
    static String redact(String url) {
        String withoutUserInfo = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:" + REDACTED + "@");
        return PASSWORD_PARAMETER.matcher(withoutUserInfo).replaceAll("$1" + REDACTED);
    }
}

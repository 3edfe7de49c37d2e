package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshot;
import dev.cairn.pipeline.snapshot.SnapshotSource;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.snapshot.SourceFingerprints;
import dev.cairn.pipeline.spec.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code read}: snapshots a file or a JDBC table or query, content-addressed, so every later step (and a
 * reproduction) reads the very rows this one read. Outputs the snapshot as {@code snapshot:<sha256>}, its rows and
 * hash, and the source's fingerprint: the fingerprint query's result when the step names one
 * ({@code query:n=1000;latest=2026-03-01}, see {@link SourceFingerprints#queryResult}), else the rows' hash (the
 * snapshot's {@code sha256} again).
 *
 * <p><b>Unchanged sources are not read again.</b> The engine never caches a read (a mutable source can change under
 * the same parameters), but the step itself reuses the snapshot it made last time when the source's fingerprint says
 * nothing changed: for a JDBC read with a {@code fingerprint} query, that query's result; for a file, the file's hash
 * (remembered by size and modification time, so an unchanged file is not even hashed again). The snapshot is found
 * by a key of the read (source, query or table, user, format) and that fingerprint ({@link Snapshots#reuse}); a
 * changed fingerprint, or a snapshot pruned since, reads the source. A JDBC read without a fingerprint query is always
 * read: a row count does not change when rows are updated. The fingerprint query is thus a promise that it changes
 * whenever the rows read do (cover every table the query reads, e.g. a clock, a count and a latest timestamp).
 */
public final class ReadStep implements StepRunner {
    private static final List<String> JDBC_ONLY = List.of("query", "table", "user", "password_env", "fingerprint");
    private static final List<String> FILE_ONLY = List.of("format", "delimiter");

    private final SourceFingerprints fingerprints;

    public ReadStep() {
        this(new SourceFingerprints());
    }

    public ReadStep(SourceFingerprints fingerprints) {
        this.fingerprints = fingerprints;
    }

    @Override
    public StepType type() {
        return StepType.READ;
    }

    @Override
    public StepResult run(StepContext context) {
        String ref = context.text("source");
        boolean jdbc = Workspace.isJdbc(ref);
        for (String key : jdbc ? FILE_ONLY : JDBC_ONLY) {
            if (context.has(key)) {
                throw CairnException.invalid(context.field(key), context.text(key),
                        "no " + key + " for a " + (jdbc ? "JDBC source" : "file source") + " (source is " + Workspace.redact(ref) + ")");
            }
        }
        DataSource source;
        String lineageUri;
        if (jdbc) {
            if (context.has("query") && context.has("table")) {
                throw CairnException.invalid(context.field("table"), context.text("table"), "either a query or a table, not both");
            }
            String what = context.optionalText("query").orElseGet(() -> context.optionalText("table").orElse(null));
            source = context.dataSource("source", what, context.optionalText("user").orElse(null),
                    context.optionalText("password_env").orElse(null));
            JdbcSource table = (JdbcSource) source;
            lineageUri = SnapshotSource.of(table).url() + context.optionalText("table").map(t -> "#" + t.strip()).orElse("");
        } else if (ref.startsWith(StepContext.SNAPSHOT_SCHEME)) {
            // A snapshot read again: nothing new to read, but the step's outputs stay the same shape.
            source = context.dataSource("source", null, null, null);
            lineageUri = null;
        } else {
            Path path = context.workspace().file(context.field("source"), ref);
            if (!Files.isRegularFile(path)) {
                throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "The file '" + ref + "' of " + context.field("source")
                        + " does not exist (" + path + ")", Map.of("field", context.field("source"), "value", ref));
            }
            source = new FileSource(path, format(context, path), csv(context));
            lineageUri = path.toUri().toString();
        }

        // The fingerprint first: a change made while the rows are read then shows as a new fingerprint at the next
        // poll, rather than being hidden behind a fingerprint taken after it.
        String fingerprint = null;
        String readKey = null;
        if (context.has("fingerprint")) {
            JdbcSource table = (JdbcSource) source;
            JdbcSource query = new JdbcSource(table.url(), table.user(), table.password(), context.text("fingerprint"));
            fingerprint = Fields.naming(context, "fingerprint", () -> fingerprints.queryResult(query));
            context.log("Fingerprint of " + SnapshotSource.of(table).url() + ": " + fingerprint);
            readKey = readKey(context, source, fingerprint);
        } else if (source instanceof FileSource file) {
            String hash = Fields.naming(context, "source", () -> fingerprints.of(file).token());
            readKey = readKey(context, source, hash);
        }
        context.checkCancelled();
        Snapshots snapshots = context.services().snapshots();
        Optional<Snapshot> unchanged = readKey == null ? Optional.empty() : snapshots.reuse(readKey, context.step().id());
        Snapshot snapshot;
        String note;
        if (unchanged.isPresent()) {
            snapshot = unchanged.get();
            note = " (the source's fingerprint is the one it had when these rows were read: not read again)";
        } else {
            context.log("Reading " + SnapshotSource.of(source).description());
            snapshot = Fields.naming(context, "source", () -> snapshots.take(source, context.step().id()));
            if (readKey != null) snapshots.remember(readKey, snapshot);
            note = snapshot.reused() ? " (the same rows were stored already)" : "";
        }
        context.log("Snapshot " + snapshot.sha256() + ": " + snapshot.rows() + " rows, " + snapshot.columns().size() + " columns" + note);
        if (fingerprint == null) fingerprint = snapshot.sha256();

        if (lineageUri != null) context.consumed("source", lineageUri, null);
        String table = StepContext.SNAPSHOT_SCHEME + snapshot.sha256();
        context.produced("snapshot", table, snapshot.sha256());
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("table", table);
        outputs.put("rows", snapshot.rows());
        outputs.put("sha256", snapshot.sha256());
        outputs.put("fingerprint", fingerprint);
        return StepResult.of(outputs);
    }

    /**
     * What identifies this read and the state of its source: the source as the snapshot records it (passwords
     * redacted), everything of the step's {@code with} that shapes the rows, and the fingerprint.
     */
    private static String readKey(StepContext context, DataSource source, String fingerprint) {
        StringBuilder key = new StringBuilder("read\n").append(SnapshotSource.of(source));
        for (String k : List.of("query", "table", "user", "format", "delimiter", "fingerprint")) {
            key.append('\n').append(k).append('=').append(context.optionalText(k).orElse(""));
        }
        return key.append("\nstate=").append(fingerprint).toString();
    }

    private static FileFormat format(StepContext context, Path path) {
        if (!context.has("format")) {
            return Fields.naming(context, "source", () -> {
                try {
                    return FileFormat.of(path);
                } catch (CairnException e) {
                    throw new CairnException(e.code(), e.getMessage() + " (or say which with format: csv, parquet or jsonl)", e.details(), e);
                }
            });
        }
        String format = context.text("format");
        return switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> FileFormat.CSV;
            case "parquet" -> FileFormat.PARQUET;
            case "jsonl" -> FileFormat.JSON_LINES;
            default -> throw CairnException.invalid(context.field("format"), format, "csv, parquet or jsonl");
        };
    }

    private static CsvOptions csv(StepContext context) {
        return context.optionalText("delimiter").map(CsvOptions.DEFAULT::withDelimiter).orElse(CsvOptions.DEFAULT);
    }
}

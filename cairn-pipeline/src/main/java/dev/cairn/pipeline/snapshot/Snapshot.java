package dev.cairn.pipeline.snapshot;

import dev.cairn.data.source.Column;
import java.time.Instant;
import java.util.List;

/**
 * A stored snapshot: rows read from a source at some time, kept as Parquet in the artifact store under their
 * content hash. {@code sha256} is the hash of the rows ({@link SnapshotManifest}'s {@code hash_scheme}), which is
 * what a run records and what {@link Snapshots#open(String)} takes back; {@code path} is the Parquet file's path
 * in the artifact store and {@code uri} its full location. {@code reused} says that a take found these rows already
 * stored and wrote no new file (always false for a snapshot that was looked up rather than taken).
 */
public record Snapshot(String sha256, String path, String uri, long rows, List<Column> columns, long fileBytes,
                       List<String> names, SnapshotSource source, Instant firstTakenAt, Instant lastTakenAt,
                       boolean reused) {

    public Snapshot {
        columns = List.copyOf(columns);
        names = List.copyOf(names);
    }
}

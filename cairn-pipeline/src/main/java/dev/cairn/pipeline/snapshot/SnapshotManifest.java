package dev.cairn.pipeline.snapshot;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The small JSON file beside a snapshot's Parquet ({@code sha256/<hash>.json}), format {@value #FORMAT}:
 * <pre>{@code
 * {
 *   "format": "cairn.snapshot/v1",
 *   "sha256": "<64 hex: the content hash, see hash_scheme>",
 *   "hash_scheme": "cairn.rows/v1",
 *   "rows": 1000,
 *   "columns": [{"name": "id", "type": "BIGINT"}, ...],
 *   "file_sha256": "<64 hex: the stored Parquet file's bytes>",
 *   "file_bytes": 12345,
 *   "names": ["customers"],
 *   "source": {"kind": "jdbc", "description": "jdbc:sqlite:/data/master.db (customers)",
 *              "url": "jdbc:sqlite:/data/master.db", "user": "cairn", "query": "customers"},
 *   "first_taken_at": "2026-01-01T02:00:00Z",
 *   "last_taken_at": "2026-01-05T02:00:00Z"
 * }
 * }</pre>
 * {@code source} is the first source these rows were taken from, with secrets redacted ({@link SnapshotSource});
 * {@code names} every name they were taken under; {@code last_taken_at} the last time a take found or wrote them,
 * which is the age retention goes by. Absent values are left out.
 */
public record SnapshotManifest(String format, String sha256, String hashScheme, long rows, List<ManifestColumn> columns,
                               String fileSha256, long fileBytes, List<String> names, SnapshotSource source,
                               Instant firstTakenAt, Instant lastTakenAt) {
    public static final String FORMAT = "cairn.snapshot/v1";

    /** A column as the manifest writes it: its name and DuckDB type. */
    public record ManifestColumn(String name, String type) {
        static ManifestColumn of(Column column) {
            return new ManifestColumn(column.name(), column.duckType());
        }

        Column column() {
            return new Column(name, type, ColumnKind.ofDuckType(type));
        }
    }

    public SnapshotManifest {
        columns = columns == null ? List.of() : List.copyOf(columns);
        names = names == null ? List.of() : List.copyOf(new TreeSet<>(names));
    }

    /**
     * Checks what was read from a stored file: the format this code knows, and the hash its name promises. A
     * manifest that fails is stored data gone wrong (DATA_LOSS), or one written by a newer Cairn (its format says so).
     */
    SnapshotManifest requireValid(String path, String expectedSha256) {
        String problem = null;
        if (!FORMAT.equals(format)) problem = "its format is '" + format + "', this version of Cairn reads " + FORMAT;
        else if (!ContentHash.SCHEME.equals(hashScheme)) problem = "its hash_scheme is '" + hashScheme + "', expected " + ContentHash.SCHEME;
        else if (!expectedSha256.equals(sha256)) problem = "it names the hash " + sha256;
        else if (!Sha256.isHex(fileSha256)) problem = "it has no file_sha256";
        else if (firstTakenAt == null || lastTakenAt == null) problem = "it has no first_taken_at or last_taken_at";
        if (problem == null) return this;
        throw new CairnException(ErrorCode.DATA_LOSS, "Snapshot manifest '" + path + "' is not valid: " + problem,
                Map.of("path", path, "sha256", expectedSha256));
    }

    List<Column> tableColumns() {
        return columns.stream().map(ManifestColumn::column).toList();
    }

    /** This manifest as another take of the same rows leaves it: taken again now, possibly under another name. */
    SnapshotManifest takenAgain(Instant at, String name) {
        TreeSet<String> allNames = new TreeSet<>(names);
        if (name != null) allNames.add(name);
        Instant last = lastTakenAt == null || at.isAfter(lastTakenAt) ? at : lastTakenAt;
        return new SnapshotManifest(format, sha256, hashScheme, rows, columns, fileSha256, fileBytes, List.copyOf(allNames),
                source, firstTakenAt, last);
    }

    /** The same manifest for another Parquet file of the same rows (written again after it went missing). */
    SnapshotManifest withFile(String newFileSha256, long newFileBytes) {
        return new SnapshotManifest(format, sha256, hashScheme, rows, columns, newFileSha256, newFileBytes, names, source,
                firstTakenAt, lastTakenAt);
    }
}

package dev.cairn.pipeline.snapshot;

/**
 * A cheap summary of a source's state for the data-arrival trigger: two fingerprints of a source are equal when
 * nothing the trigger watches changed, and different when it did. A file is summarised by the SHA-256 of its bytes
 * (the same digest a training run records for its data), a database table or query by its row count and, when a
 * timestamp column is named, that column's maximum, computed in the source database without copying a row. The
 * table form sees inserts, deletes and updates that move the maximum timestamp; an update that touches no counted
 * or watched value goes unseen, which is the price of not reading the table (take a snapshot to see everything).
 * {@link #token()} is the same comparison as one string, for a trigger to store between server restarts.
 */
public sealed interface SourceFingerprint {

    /** The source, described as in messages (no secrets). */
    String source();

    /** One string that is equal exactly when the fingerprints are. */
    String token();

    /** A file's bytes. */
    record FileContent(String source, long size, String sha256) implements SourceFingerprint {
        @Override
        public String token() {
            return "sha256:" + sha256;
        }
    }

    /** A table or query's row count and, when {@code timestampColumn} is not null, its maximum (as text; null when no row has one). */
    record TableState(String source, long rows, String timestampColumn, String maxTimestamp) implements SourceFingerprint {
        @Override
        public String token() {
            return "rows=" + rows + (timestampColumn == null ? "" : ";max(" + timestampColumn + ")=" + maxTimestamp);
        }
    }
}

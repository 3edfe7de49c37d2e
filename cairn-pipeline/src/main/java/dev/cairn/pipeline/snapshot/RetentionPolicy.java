package dev.cairn.pipeline.snapshot;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which snapshots {@link Snapshots#prune} keeps: every snapshot taken (first or again) within {@code keepFor},
 * the {@code keepLast} most recently taken whatever their age, and every hash in {@code pinned}; the rest go.
 * Age is measured from a snapshot's last take, not its first, as lakeFS ages a branch by its last write: rows a
 * nightly run still reads every night stay however long ago they first appeared. Which snapshots must be pinned
 * is the caller's knowledge, not the store's: those that a registered model version's run (or anything else worth
 * reproducing) read.
 */
public record RetentionPolicy(Duration keepFor, int keepLast, Set<String> pinned) {

    public RetentionPolicy {
        if (keepFor == null || keepFor.isNegative()) {
            throw CairnException.invalid("keep_for", keepFor, "a duration of zero or more (e.g. P30D)");
        }
        if (keepLast < 0) throw CairnException.invalid("keep_last", keepLast, "a count of zero or more");
        pinned = pinned == null ? Set.of() : Set.copyOf(pinned);
        for (String hash : pinned) {
            if (!Sha256.isHex(hash)) {
                throw CairnException.invalid("pinned", hash, "the SHA-256 of a snapshot (64 lower-case hex digits)");
            }
        }
    }

    /** Whether a snapshot last taken at {@code lastTakenAt} is young enough to keep at {@code now}. */
    boolean young(Instant lastTakenAt, Instant now) {
        return !lastTakenAt.isBefore(now.minus(keepFor));
    }
}

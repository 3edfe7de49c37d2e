package dev.cairn.store.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.time.Duration;
import java.time.Instant;

/**
 * Named leases with an expiry (e.g. which server runs the scheduler). Taking one is a single upsert whose update
 * only happens when the lease is the caller's or has expired: one changed row means the caller holds it.
 */
final class PipelineLeases {

    /** Longer would be a lock nobody can recover from a crashed holder in any useful time. */
    static final Duration MAX_TTL = Duration.ofDays(1);

    private final Database database;

    PipelineLeases(Database database) {
        this.database = database;
    }

    boolean acquire(String name, String owner, Duration ttl, Instant now) {
        PipelineValidation.name("name", name);
        PipelineValidation.name("owner", owner);
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw CairnException.invalid("ttl", ttl, "a positive duration of at most " + MAX_TTL);
        }
        PipelineValidation.time("now", now);
        long expires = now.plus(ttl).toEpochMilli();
        return database.write(connection -> Jdbc.update(connection, "INSERT INTO pipeline_leases (name, owner, expires_at)"
                        + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
                        + " WHERE pipeline_leases.owner = excluded.owner OR pipeline_leases.expires_at <= ?",
                name, owner, expires, now.toEpochMilli()) == 1);
    }

    void release(String name, String owner) {
        PipelineValidation.name("name", name);
        PipelineValidation.name("owner", owner);
        database.write(connection -> Jdbc.update(connection, "DELETE FROM pipeline_leases WHERE name = ? AND owner = ?", name, owner));
    }
}

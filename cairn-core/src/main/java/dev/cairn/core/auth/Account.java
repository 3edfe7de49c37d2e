package dev.cairn.core.auth;

import java.time.Instant;

/** A stored identity: a person (who may have a password) or a service account (API tokens only). */
public record Account(String name, Kind kind, boolean admin, boolean hasPassword, Instant createdAt) {

    public enum Kind { USER, SERVICE_ACCOUNT }
}

package dev.cairn.core.auth;

import java.time.Instant;

/**
 * What is kept of an API token: never the token, only its SHA-256 (in the store) and these facts. {@code id} is the
 * public part of the token, shown in listings and used to revoke it; {@code scope} caps the owner's permissions;
 * {@code expiresAt} may be null (no expiry); {@code revokedAt} is null while the token is valid.
 */
public record ApiToken(String id, String account, String description, Permission scope, Instant createdAt,
                       Instant expiresAt, Instant revokedAt) {

    /** True when the token may be used at {@code now}: not revoked, not expired. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}

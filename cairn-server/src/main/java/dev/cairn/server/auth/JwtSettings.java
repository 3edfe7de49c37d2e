package dev.cairn.server.auth;

import dev.cairn.core.error.CairnException;

/**
 * Bearer JWTs from an external identity provider (OIDC): {@code jwks} is a JWKS file or an {@code https://} URL (the
 * provider's {@code jwks_uri}); a token must be signed by one of its keys, unexpired, from {@code issuer} and for
 * {@code audience}. {@code userClaim} names the user ({@code sub} by default; {@code preferred_username} or
 * {@code email} are common), {@code groupsClaim} the groups whose grants apply (a list of names, or one name).
 */
public record JwtSettings(String jwks, String issuer, String audience, String userClaim, String groupsClaim) {

    public JwtSettings {
        if (jwks == null || jwks.isBlank()) throw CairnException.invalid("--jwks", jwks, "a JWKS file or URL");
        if (issuer == null || issuer.isBlank()) {
            throw CairnException.invalid("--jwt-issuer", issuer, "the issuer (iss) tokens must come from, required with --jwks");
        }
        if (audience == null || audience.isBlank()) {
            throw CairnException.invalid("--jwt-audience", audience, "the audience (aud) tokens must be for, required with --jwks");
        }
        if (userClaim == null || userClaim.isBlank()) userClaim = "sub";
        if (groupsClaim != null && groupsClaim.isBlank()) groupsClaim = null;
    }
}

package dev.cairn.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.cairn.core.error.CairnException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies bearer JWTs with Nimbus JOSE+JWT against the configured JWKS: the signature (asymmetric algorithms only,
 * so that a token signed with the public key as an HMAC secret, or with {@code alg: none}, is refused), the expiry
 * (required; a minute of clock skew), the issuer and the audience. A JWKS URL is fetched when needed and cached, and
 * refetched when a token names a key it does not know (the provider rotated its keys).
 */
public final class JwtVerifier {

    /** Three base64url parts: what a JWS looks like, so that anything else is refused before parsing. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    /** A verified token's user, its groups from the token, and when the token expires. */
    public record Verified(String user, List<String> groups, Instant expiresAt) {}

    private final JwtSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtVerifier(JwtSettings settings) {
        this.settings = settings;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source(settings.jwks())));
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(settings.issuer()).build();
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience(), exact,
                Set.of("exp", "iss", "aud", settings.userClaim())));
    }

    private static JWKSource<SecurityContext> source(String jwks) {
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            try {
                return JWKSourceBuilder.<SecurityContext>create(new URI(jwks).toURL()).build();
            } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                throw CairnException.invalid("--jwks", jwks, "a JWKS file or an http(s) URL");
            }
        }
        Path file = Path.of(jwks.startsWith("file:") ? URI.create(jwks).getPath() : jwks);
        try {
            JWKSet set = JWKSet.load(Files.newInputStream(file));
            if (set.getKeys().isEmpty()) throw CairnException.invalid("--jwks", jwks, "a JWKS with at least one key");
            if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                throw CairnException.invalid("--jwks", jwks, "public keys only (the file holds a private key)");
            }
            return new ImmutableJWKSet<>(set);
        } catch (IOException | ParseException e) {
            throw CairnException.invalid("--jwks", jwks, "a readable JWKS file (JSON with a \"keys\" array)");
        }
    }

    /** True when the credentials look like a JWT at all (API tokens and Basic credentials do not). */
    public static boolean looksLikeJwt(String credentials) {
        return credentials != null && credentials.length() < 16_384 && SHAPE.matcher(credentials).matches();
    }

    /** The token's user and groups when it verifies; empty when it does not, for any reason (the caller answers 401). */
    public Optional<Verified> verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Object user = claims.getClaim(settings.userClaim());
            if (!(user instanceof String name) || name.isBlank() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
                return Optional.empty();
            }
            return Optional.of(new Verified(name, groups(claims), claims.getExpirationTime().toInstant()));
        } catch (Exception invalid) {
            // Forged, expired, for another audience, from another issuer, malformed: all are simply not credentials.
            return Optional.empty();
        }
    }

    private List<String> groups(JWTClaimsSet claims) {
        if (settings.groupsClaim() == null) return List.of();
        Object value = claims.getClaim(settings.groupsClaim());
        List<String> out = new ArrayList<>();
        if (value instanceof String one && !one.isBlank()) out.add(one);
        if (value instanceof List<?> many) {
            for (Object item : many) {
                if (item instanceof String g && !g.isBlank() && g.length() <= 256) out.add(g);
            }
        }
        return out;
    }
}

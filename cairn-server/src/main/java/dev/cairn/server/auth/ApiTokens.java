package dev.cairn.server.auth;

import dev.cairn.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API tokens: {@code cairn_<id>_<secret>}, the id 8 random bytes and the secret 32 (both base64url), shown once when
 * created. The store keeps the SHA-256 of the whole token: a fast hash is right here, unlike for passwords, because
 * 256 random bits cannot be guessed however fast each guess is; a slow hash would only slow every request down.
 * The id identifies a token in listings and for revocation without revealing anything of the secret.
 */
public final class ApiTokens {

    public static final String PREFIX = "cairn_";
    /** Characters of the id (11) and of the secret (43): 8 and 32 bytes in unpadded base64url. */
    private static final int ID_LENGTH = 11;
    private static final int SECRET_LENGTH = 43;
    private static final int LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private ApiTokens() {}

    /** A new token: its public id and the whole secret to show once. */
    public record NewToken(String id, String token) {
        @Override
        public String toString() {
            return "NewToken[id=" + id + ", token=(not shown)]";
        }
    }

    public static NewToken generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idText = BASE64.encodeToString(id);
        return new NewToken(idText, PREFIX + idText + "_" + BASE64.encodeToString(secret));
    }

    /**
     * True when the text has a token's shape, {@code cairn_<11 base64url>_<43 base64url>} (anything else is refused
     * before the store is asked). Checked by hand, not by a regular expression: it runs on every request with a token,
     * and the expression's matcher cost more than the rest of the check of a cached token together.
     */
    public static boolean looksLikeToken(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX) || text.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (i != PREFIX.length() + ID_LENGTH && !isBase64Url(text.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    public static String sha256(String token) {
        return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.cairn.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API tokens: {@code cairn_<id>_<secret>}, the id 8 random bytes and the secret 32 (both base64url), shown once when
 * created. The store keeps the SHA-256 of the whole token: a fast hash is right here, unlike for passwords, because
 * 256 random bits cannot be guessed however fast each guess is; a slow hash would only slow every request down.
 * The id identifies a token in listings and for revocation without revealing anything of the secret.
 */
public final class ApiTokens {

    public static final String PREFIX = "cairn_";
    private static final Pattern FORMAT = Pattern.compile("cairn_[A-Za-z0-9_-]{11}_[A-Za-z0-9_-]{43}");
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

    /** True when the text has a token's shape (anything else is refused before the store is asked). */
    public static boolean looksLikeToken(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

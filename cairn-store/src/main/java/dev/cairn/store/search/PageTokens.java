package dev.cairn.store.search;

import dev.cairn.core.error.CairnException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens: base64 of a position ("offset:N" as MLflow's SQL store uses, or "after:N"
 * for listings paged by a descending id). Clients must not build them; a malformed one is refused.
 */
public final class PageTokens {

    private PageTokens() {}

    public static String offset(long offset) {
        return encode("offset:" + offset);
    }

    /** The offset a token names; 0 for null or blank. */
    public static long parseOffset(String token) {
        return decode(token, "offset:");
    }

    public static String after(long id) {
        return encode("after:" + id);
    }

    /** The id a token names, or {@link Long#MAX_VALUE} for null or blank (the first page). */
    public static long parseAfter(String token) {
        if (token == null || token.isBlank()) return Long.MAX_VALUE;
        return decode(token, "after:");
    }

    /** A position after a row identified by several numbers (a keyset), e.g. "point:3:1700000000000:…". */
    public static String keyset(String kind, long... values) {
        StringBuilder text = new StringBuilder(kind);
        for (long value : values) text.append(':').append(value);
        return encode(text.toString());
    }

    /** The numbers of a {@link #keyset} token of {@code kind}, or null for null or blank (the first page). */
    public static long[] parseKeyset(String token, String kind, int count) {
        if (token == null || token.isBlank()) return null;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length == count + 1 && parts[0].equals(kind)) {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) values[i] = Long.parseLong(parts[i + 1]);
                return values;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw CairnException.invalid("page_token", token, "a page token returned by the previous page of this search");
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String token, String prefix) {
        if (token == null || token.isBlank()) return 0;
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (decoded.startsWith(prefix)) {
                long value = Long.parseLong(decoded.substring(prefix.length()));
                if (value >= 0) return value;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw CairnException.invalid("page_token", token, "a page token returned by the previous page of this search");
    }
}

package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection for the UI's forms (double-submit token). A page with a form gets a random
 * token in an HttpOnly, SameSite=Strict cookie and the same token in a hidden field; a POST is accepted only when the
 * two match, and, when the browser says where the request comes from ({@code Origin}), only from this server. A
 * page of another site can make a browser send the cookie but can neither read it nor know the field's value. The
 * cookie is Secure when the page came over HTTPS ({@link AccessControl#secure}).
 */
final class Csrf {

    static final String COOKIE = "cairn_csrf";
    static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {}

    /** The token of this browser, set as a cookie when it has none yet. */
    static String token(Context ctx) {
        String existing = ctx.cookie(COOKIE);
        if (existing != null && existing.matches("[A-Za-z0-9_-]{43}")) return existing;
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"
                + (AccessControl.secure(ctx) ? "; Secure" : ""));
        return token;
    }

    /** Makes the browser forget its token (after a login), so that the next page with a form sets a new one. */
    static void forget(Context ctx) {
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (AccessControl.secure(ctx) ? "; Secure" : ""));
    }

    /** Refuses (403) a form post whose token does not match its cookie, or that comes from another origin. */
    static void verify(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameHost(origin, ctx.header("Host"))) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "A form of another site (" + origin + ") cannot change Cairn");
        }
        String cookie = ctx.cookie(COOKIE);
        String field = ctx.formParam(FIELD);
        if (cookie == null || field == null
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8))) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED,
                    "The form's security token is missing or does not match: reload the page and submit it again");
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package dev.cairn.server.api;

import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who is making a request, for the audit log and the {@code mlflow.user} tag, on every API (Cairn's,
 * MLflow's, inference). With authentication on, it is the authenticated principal and nothing the
 * request claims: {@code X-Cairn-User} counts only from a configured trusted proxy, which is then
 * how the principal was authenticated ({@link AccessControl}). Without authentication (the embedded
 * single-user default on the loopback address) nobody is verified, and the name is what the request
 * says: the {@code X-Cairn-User} header; else the user name of HTTP Basic credentials, which MLflow
 * clients send when {@code MLFLOW_TRACKING_USERNAME} is set; else the MLflow-style {@code user}
 * field of the body; else {@value #ANONYMOUS}.
 */
public final class Actors {

    public static final String HEADER = "X-Cairn-User";
    public static final String ANONYMOUS = "anonymous";

    private Actors() {}

    public static String from(Context ctx, String bodyUser) {
        var principal = AccessControl.principal(ctx);
        if (principal.isPresent()) return principal.get().name();
        String header = ctx.header(HEADER);
        if (header != null && !header.isBlank()) return header.trim();
        String basic = basicUser(ctx.header("Authorization"));
        if (basic != null) return basic;
        if (bodyUser != null && !bodyUser.isBlank()) return bodyUser.trim();
        return ANONYMOUS;
    }

    public static String from(Context ctx) {
        return from(ctx, null);
    }

    /** The user name of {@code Basic} credentials, or null when there are none or they do not decode. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = (colon < 0 ? decoded : decoded.substring(0, colon)).trim();
            return user.isEmpty() ? null : user;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

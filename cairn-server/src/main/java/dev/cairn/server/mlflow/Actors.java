package dev.cairn.server.mlflow;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who made a request, for the registry's audit log. MLflow clients send HTTP Basic credentials
 * when {@code MLFLOW_TRACKING_USERNAME} is set; the user name is taken from them (this API does
 * not authenticate: an authenticating proxy in front of the server does). Without credentials the
 * actor is {@value #ANONYMOUS}.
 */
final class Actors {

    static final String ANONYMOUS = "mlflow-client";

    private Actors() {}

    static String of(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return ANONYMOUS;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.isBlank() ? ANONYMOUS : user;
        } catch (IllegalArgumentException e) {
            return ANONYMOUS;
        }
    }
}

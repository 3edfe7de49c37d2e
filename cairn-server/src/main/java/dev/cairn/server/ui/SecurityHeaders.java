package dev.cairn.server.ui;

import io.javalin.http.Context;

/**
 * The headers every UI response carries. The policy allows scripts, styles, fonts and data requests from Cairn
 * itself only: no inline script or style, no eval, no other origin. Everything a page runs is a file under
 * {@code /ui/assets/}, so an HTML injection that slipped past escaping still could not run a script.
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'self'");

    /**
     * For stored artifacts shown to people (a run's HTML report): they are not Cairn's pages, so they run sandboxed
     * (a unique origin, no script, no form) with their own inline styles and embedded images allowed.
     */
    static final String ARTIFACT_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private SecurityHeaders() {}

    static void page(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        common(ctx);
    }

    static void artifact(Context ctx) {
        ctx.header("Content-Security-Policy", ARTIFACT_POLICY);
        common(ctx);
    }

    private static void common(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "SAMEORIGIN");
    }
}

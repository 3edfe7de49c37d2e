package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Logging in and out of the web UI (with login on, {@code cairn server --auth}): a form of user name and password,
 * checked as Basic credentials are (the same rate limit, the same single message whatever was wrong), that opens a
 * server-side session held in a cookie ({@link AccessControl#logIn}); and a logout button that ends it. Both forms
 * carry the UI's CSRF token, so another site can neither log a visitor in as someone else nor log them out. After a
 * login the browser goes back to the page it came from ({@code next}), but only to a page of the UI: any other
 * {@code next} (another site, a scheme-relative {@code //host}, the API) is replaced by the experiments page.
 */
public final class LoginPages {

    /** The one answer to a wrong user name, a wrong password, or both: it does not say which. */
    static final String INVALID = "Wrong user name or password.";

    private final Pages pages;

    LoginPages(Pages pages) {
        this.pages = pages;
    }

    /** What the login form shows: the CSRF token, where to go after, the user name typed (never the password), an error. */
    public record LoginView(String csrf, String next, String user, String message) {}

    void form(Context ctx) {
        String next = safeNext(ctx.queryParam("next"));
        if (!AccessControl.active(ctx)) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        show(ctx, next, "", null);
    }

    void login(Context ctx) {
        Csrf.verify(ctx);
        String next = safeNext(ctx.formParam("next"));
        if (!AccessControl.active(ctx)) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        String user = ctx.formParam("user");
        try {
            AccessControl.logIn(ctx, user, ctx.formParam("password"));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                ctx.status(HttpStatus.UNAUTHORIZED);
                show(ctx, next, user, INVALID);
                return;
            }
            if (e.code() == ErrorCode.REQUEST_LIMIT_EXCEEDED) {
                ctx.status(HttpStatus.TOO_MANY_REQUESTS);
                Object retry = e.details().get("retry_after_seconds");
                if (retry != null) ctx.header("Retry-After", retry.toString());
                show(ctx, next, user, e.getMessage());
                return;
            }
            throw e;
        }
        // A new CSRF token for the new login: one planted in the browser before it is worth nothing after.
        Csrf.forget(ctx);
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    void logout(Context ctx) {
        Csrf.verify(ctx);
        AccessControl.logOut(ctx);
        ctx.redirect(AccessControl.active(ctx) ? AccessControl.LOGIN_PAGE : "/", HttpStatus.SEE_OTHER);
    }

    private void show(Context ctx, String next, String user, String message) {
        pages.render(ctx, "login.jte", "Sign in", "", new LoginView(Csrf.token(ctx), next, user == null ? "" : user, message));
    }

    /**
     * {@code next} when it is a page of this UI ({@code /} or under {@code /ui/}, a path without scheme, host, dot
     * segments, backslashes or control characters, and not the login or logout itself); else {@code /}. So a link
     * {@code /ui/login?next=https://evil.example} cannot send someone who logs in elsewhere.
     */
    static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > 2048) return "/";
        if (!next.startsWith("/") || next.startsWith("//") || next.indexOf('\\') >= 0) return "/";
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) return "/";
        }
        URI uri;
        try {
            uri = new URI(next);
        } catch (URISyntaxException e) {
            return "/";
        }
        if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null) return "/";
        String path = uri.getPath();
        if (!path.equals("/") && !path.startsWith("/ui/")) return "/";
        if (!uri.normalize().getPath().equals(path) || path.contains("/./") || path.contains("/../") || path.endsWith("/.")
                || path.endsWith("/..") || path.contains("//")) {
            return "/";
        }
        if (path.equals(AccessControl.LOGIN_PAGE) || path.equals(WebUi.LOGOUT)) return "/";
        return next;
    }
}

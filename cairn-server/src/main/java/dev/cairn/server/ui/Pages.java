package dev.cairn.server.ui;

import dev.cairn.core.auth.Principal;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.api.Actors;
import dev.cairn.server.auth.AccessControl;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the UI's templates. They are compiled to Java classes at build time (jte-maven-plugin, package
 * {@value #TEMPLATES}), in HTML mode: every {@code ${...}} is escaped for where it stands (text or attribute), so a
 * run named {@code <script>} is shown, never run.
 */
public final class Pages {

    static final String TEMPLATES = "dev.cairn.server.ui.templates";
    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(), TEMPLATES);

    /** Renders {@code template} with the page's frame and its view, as HTML with the UI's security headers. */
    void render(Context ctx, String template, String title, String section, Object view) {
        Frame frame = new Frame(title, section, user(ctx), AccessControl.bySession(ctx) ? Csrf.token(ctx) : null);
        StringOutput out = new StringOutput(8192);
        engine.render(template, Map.of("frame", frame, "view", view), out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** Renders a part of a page (htmx swaps it in): {@code template} with its view alone, no frame. */
    void fragment(Context ctx, String template, Object view) {
        StringOutput out = new StringOutput(2048);
        engine.render(template, Map.of("view", view), out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** Who the page says is acting: nobody on a public page while nobody is logged in (with login on). */
    private static String user(Context ctx) {
        return AccessControl.principal(ctx).filter(p -> p instanceof Principal.Anonymous).isPresent() ? null : Actors.from(ctx);
    }

    /**
     * A page handler with the security headers set first, and Cairn's errors (an unknown run, a bad parameter)
     * shown as an HTML page with the error's status instead of the API's JSON body.
     */
    Handler page(Handler handler) {
        return ctx -> {
            SecurityHeaders.page(ctx);
            try {
                handler.handle(ctx);
            } catch (CairnException e) {
                error(ctx, e);
            } catch (RuntimeException e) {
                LOG.warn("UI page {} failed", ctx.path(), e);
                ctx.status(500);
                render(ctx, "error.jte", "Error", "", new ErrorView(ErrorCode.INTERNAL_ERROR,
                        "The page could not be built; the server's log has the details."));
            }
        };
    }

    /** Cairn's error as the UI's error page, with the error's status. */
    void error(Context ctx, CairnException e) {
        SecurityHeaders.page(ctx);
        ctx.status(e.code().httpStatus());
        render(ctx, "error.jte", "Error", "", new ErrorView(e.code(), e.getMessage()));
    }

    /** What the error page shows. */
    public record ErrorView(ErrorCode code, String message) {}
}

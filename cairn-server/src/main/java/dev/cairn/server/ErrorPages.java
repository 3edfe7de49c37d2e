package dev.cairn.server;

import dev.cairn.core.error.CairnException;
import io.javalin.http.Context;

/**
 * A route group that answers the errors of its own requests as pages (the web UI), where everything else gets the
 * API's JSON body: a refusal decided before the handler ran (403 from the access check, a session that ended) must
 * reach a browser as a page too, not as JSON nor as a 401 that makes the browser ask for a password.
 */
public interface ErrorPages {

    /** Whether this group answers the error of this request. */
    boolean rendersErrorOf(Context ctx);

    /** Writes the error as a page, with the error's status; {@code e}'s message is safe to show (never an internal one). */
    void renderError(Context ctx, CairnException e);
}

package dev.cairn.server.ui;

import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One page or asset of the web UI as data, like {@link dev.cairn.server.api.ApiRoute} is for the API: the list of
 * these is what {@link WebUi} registers, so a permission (or anything else) can be attached to every UI route in
 * one place: each declares the access it needs, the same as the API route that reads or changes the same data, and
 * the server refuses to start with one that does not. UI routes are not part of the OpenAPI document: they answer HTML for people, not JSON for programs.
 */
public record UiRoute(HandlerType method, String path, String summary, Access access, Handler handler) {

    /** A page, readable with {@code access} (the same as the API's route for the same data). */
    public static UiRoute get(String path, String summary, Access access, Handler handler) {
        return new UiRoute(HandlerType.GET, path, summary, access, handler);
    }

    /** A change made from a form: its handler checks the form's CSRF token ({@link Csrf}) before anything else. */
    public static UiRoute post(String path, String summary, Access access, Handler handler) {
        return new UiRoute(HandlerType.POST, path, summary, access, handler);
    }

    public RouteAccess routeAccess() {
        return new RouteAccess(method, path, access);
    }
}

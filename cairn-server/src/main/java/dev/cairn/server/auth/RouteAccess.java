package dev.cairn.server.auth;

import io.javalin.http.HandlerType;

/** One route's declared access, keyed as Javalin registers the route (method and path pattern). */
public record RouteAccess(HandlerType method, String path, Access access) {

    public String key() {
        return key(method, path);
    }

    static String key(HandlerType method, String path) {
        return method.name() + " " + path;
    }
}

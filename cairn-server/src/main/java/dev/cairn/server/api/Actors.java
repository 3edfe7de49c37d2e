package dev.cairn.server.api;

import io.javalin.http.Context;

/**
 * Who is making a request, for the audit log and the {@code mlflow.user} tag: the
 * {@code X-Cairn-User} header, else the MLflow-style {@code user} field of the body, else
 * {@code anonymous}. Cairn does not authenticate; a proxy in front of it that does should set the header.
 */
public final class Actors {

    public static final String HEADER = "X-Cairn-User";
    public static final String ANONYMOUS = "anonymous";

    private Actors() {}

    public static String from(Context ctx, String bodyUser) {
        String header = ctx.header(HEADER);
        if (header != null && !header.isBlank()) return header.trim();
        if (bodyUser != null && !bodyUser.isBlank()) return bodyUser.trim();
        return ANONYMOUS;
    }

    public static String from(Context ctx) {
        return from(ctx, null);
    }
}

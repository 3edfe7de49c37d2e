package dev.cairn.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * How a client proves who it is to a server with login on: the {@code Authorization} header it sends. From the
 * environment as MLflow's clients take theirs, never from a command line (where every user of the machine could read
 * it in the process list): {@code CAIRN_TOKEN} or {@code MLFLOW_TRACKING_TOKEN} as a Bearer token, else
 * {@code CAIRN_USERNAME}/{@code CAIRN_PASSWORD} or {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}
 * as Basic, else none (a server without login). {@link #toString()} never shows the secret.
 */
public record Credentials(String authorization) {

    public static final Credentials NONE = new Credentials(null);

    public static Credentials bearer(String token) {
        return new Credentials("Bearer " + token);
    }

    public static Credentials basic(String user, String password) {
        return new Credentials("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** The process environment's credentials. */
    public static Credentials fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    public static Credentials fromEnvironment(Function<String, String> environment) {
        String token = first(environment, "CAIRN_TOKEN", "MLFLOW_TRACKING_TOKEN");
        if (token != null) return bearer(token);
        String user = first(environment, "CAIRN_USERNAME", "MLFLOW_TRACKING_USERNAME");
        String password = first(environment, "CAIRN_PASSWORD", "MLFLOW_TRACKING_PASSWORD");
        if (user != null && password != null) return basic(user, password);
        return NONE;
    }

    public boolean present() {
        return authorization != null;
    }

    private static String first(Function<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.apply(name);
            if (value != null && !value.isBlank()) return value;
        }
        return null;
    }

    @Override
    public String toString() {
        return authorization == null ? "Credentials[none]" : "Credentials[" + authorization.substring(0, authorization.indexOf(' ')) + " ***]";
    }
}

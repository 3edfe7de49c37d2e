package dev.cairn.server.auth;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's authentication options: {@code --auth} turns login on, {@code --default-permission P} (default
 * NO_PERMISSIONS), {@code --trusted-proxy ADDR} (repeatable: the addresses whose {@code X-Cairn-User} header is
 * believed), and {@code --insecure-no-auth}, the explicit consent to serve a non-loopback address without login.
 * With {@code jwt} (from {@code --jwks FILE_OR_URL --jwt-issuer X --jwt-audience Y [--jwt-user-claim C]
 * [--jwt-groups-claim C]}), bearer JWTs of an identity provider log in too. {@code sessions} ({@code --session-ttl D
 * --session-idle-timeout D}) says how long a web UI login lasts.
 */
public record AuthOptions(boolean enabled, boolean insecureNoAuth, Permission defaultPermission, List<String> trustedProxies,
                          JwtSettings jwt, SessionSettings sessions) {

    public AuthOptions {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        if (defaultPermission == null) defaultPermission = Permission.NO_PERMISSIONS;
        if (sessions == null) sessions = SessionSettings.defaults();
        if (enabled && insecureNoAuth) {
            throw CairnException.invalid("--insecure-no-auth", "with --auth", "either --auth or --insecure-no-auth, not both");
        }
        if (jwt != null && !enabled) throw CairnException.invalid("--jwks", jwt.jwks(), "--auth as well: JWTs are a way to log in");
    }

    /** With web UI sessions of the default lengths. */
    public AuthOptions(boolean enabled, boolean insecureNoAuth, Permission defaultPermission, List<String> trustedProxies,
                       JwtSettings jwt) {
        this(enabled, insecureNoAuth, defaultPermission, trustedProxies, jwt, null);
    }

    /** Without JWTs from an identity provider. */
    public AuthOptions(boolean enabled, boolean insecureNoAuth, Permission defaultPermission, List<String> trustedProxies) {
        this(enabled, insecureNoAuth, defaultPermission, trustedProxies, null);
    }

    public static AuthOptions none() {
        return new AuthOptions(false, false, Permission.NO_PERMISSIONS, List.of());
    }

    /** These options with web UI sessions lasting as {@code sessions} says. */
    public AuthOptions withSessions(SessionSettings sessions) {
        return new AuthOptions(enabled, insecureNoAuth, defaultPermission, trustedProxies, jwt, sessions);
    }

    public AuthSettings settings() {
        return enabled ? new AuthSettings(true, defaultPermission, Set.copyOf(trustedProxies), jwt, sessions) : AuthSettings.disabled();
    }

    /**
     * Refuses to serve an address other machines can reach without login, unless {@code --insecure-no-auth} says so:
     * the embedded single-user default is for the loopback address.
     */
    public void checkBinding(String host) {
        if (enabled || insecureNoAuth || isLoopback(host)) return;
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "refusing to listen on " + host + " without authentication: "
                + "add --auth (users, API tokens) or, to accept that anyone who reaches the port may change everything, "
                + "--insecure-no-auth", Map.of("field", "--host", "value", host));
    }

    /** Whether {@code host} is a loopback address: {@code localhost}, {@code 127.0.0.1}, {@code ::1} or the like. */
    public static boolean isLoopback(String host) {
        if (host == null) return false;
        if (host.equals("localhost")) return true;
        try {
            // Literal addresses only: a host name is resolved, and a name that resolves elsewhere is not loopback.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

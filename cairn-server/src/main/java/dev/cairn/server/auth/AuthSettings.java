package dev.cairn.server.auth;

import dev.cairn.core.auth.Permission;
import java.util.Set;

/**
 * How a server authenticates: {@code enabled} turns login on; {@code defaultPermission} is what an authenticated
 * principal may do to a resource nobody granted it anything on (MLflow's {@code default_permission}; Cairn's default
 * is NO_PERMISSIONS, so that teams do not see each other's work unless they share it); {@code trustedProxies} are
 * the client addresses whose {@code X-Cairn-User} header names the principal (a proxy that authenticated the user);
 * {@code jwt}, when not null, also accepts bearer JWTs of an external identity provider ({@link JwtVerifier});
 * {@code sessions} says how long a web UI login lasts.
 */
public record AuthSettings(boolean enabled, Permission defaultPermission, Set<String> trustedProxies, JwtSettings jwt,
                           SessionSettings sessions) {

    public AuthSettings {
        trustedProxies = Set.copyOf(trustedProxies);
        if (sessions == null) sessions = SessionSettings.defaults();
    }

    /** With web UI sessions of the default lengths. */
    public AuthSettings(boolean enabled, Permission defaultPermission, Set<String> trustedProxies, JwtSettings jwt) {
        this(enabled, defaultPermission, trustedProxies, jwt, null);
    }

    /** Without JWTs from an identity provider. */
    public AuthSettings(boolean enabled, Permission defaultPermission, Set<String> trustedProxies) {
        this(enabled, defaultPermission, trustedProxies, null);
    }

    /** No login: the embedded single-user default on the loopback address. */
    public static AuthSettings disabled() {
        return new AuthSettings(false, Permission.MANAGE, Set.of());
    }

    public static AuthSettings enabled(Permission defaultPermission) {
        return new AuthSettings(true, defaultPermission, Set.of());
    }

    public AuthSettings withTrustedProxies(Set<String> proxies) {
        return new AuthSettings(enabled, defaultPermission, proxies, jwt, sessions);
    }
}

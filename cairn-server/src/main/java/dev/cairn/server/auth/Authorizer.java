package dev.cairn.server.auth;

import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a principal may use a route, from the route's declared {@link Access}. A resource's permission
 * is the principal's own grant, else its groups' strongest, else the server's default permission (MLflow's
 * {@code default_permission}), capped by the scope of the credentials used. Admins may do everything.
 *
 * <p>A caller who may not read a resource gets 403 whether or not the resource exists: the decision is taken on
 * the grants alone, and a request naming an unknown run or experiment is judged by the default permission, so
 * guessing ids across experiments tells nothing. (404 for everything unreadable would hide existence equally well
 * but would break MLflow clients, which expect 403 PERMISSION_DENIED from an auth-enabled server.)
 */
public final class Authorizer {

    private final AuthStore store;
    private final Permission defaultPermission;
    private final ResourceLookup lookup;

    public Authorizer(AuthStore store, Permission defaultPermission, ResourceLookup lookup) {
        this.store = store;
        this.defaultPermission = defaultPermission;
        this.lookup = lookup;
    }

    public Permission defaultPermission() {
        return defaultPermission;
    }

    public void check(Access access, Principal principal, Context ctx) {
        if (access instanceof Access.Public) return;
        if (principal instanceof Principal.Anonymous) {
            throw new CairnException(ErrorCode.UNAUTHENTICATED, "Authentication required: send Basic credentials or a Bearer API token");
        }
        switch (access) {
            case Access.Public p -> { }
            case Access.Authenticated a -> { }
            case Access.Admin a -> {
                if (!principal.actsAsAdmin()) throw denied(principal, "This needs an admin");
            }
            case Access.OnResource r -> {
                if (principal.actsAsAdmin()) return;
                onResources(r, r.locator().locate(ctx, lookup), principal);
            }
            case Access.FirstFound f -> {
                if (principal.actsAsAdmin()) return;
                for (Access.OnResource option : f.options()) {
                    List<String> resources = option.locator().locate(ctx, lookup);
                    if (!resources.isEmpty()) {
                        onResources(option, resources, principal);
                        return;
                    }
                }
                onResources(f.options().get(0), List.of(), principal);
            }
        }
    }

    /** {@code r}'s level on each of {@code resources}, or by the default permission when the request names none. */
    private void onResources(Access.OnResource r, List<String> resources, Principal principal) {
        if (resources.isEmpty()) {
            if (!defaultPermission.capped(principal.scope()).allows(r.level())) {
                throw denied(principal, "This needs " + r.level() + " on the " + r.kind().wireName() + " it names");
            }
            return;
        }
        for (String resource : resources) {
            if (!permission(principal, r.kind(), resource).allows(r.level())) {
                throw new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied: " + principal.name() + " needs "
                        + r.level() + " on " + r.kind().wireName() + " '" + resource + "'",
                        Map.of("resource_kind", r.kind().wireName(), "resource", resource, "needed", r.level().name()));
            }
        }
    }

    /** The principal's permission on one resource, capped by its credentials' scope (admins: MANAGE). */
    public Permission permission(Principal principal, ResourceKind kind, String resource) {
        if (principal.actsAsAdmin()) return Permission.MANAGE;
        if (principal instanceof Principal.Anonymous) return Permission.NO_PERMISSIONS;
        Permission granted = store.permission(kind, resource, principal.name(), principal.groups()).orElse(defaultPermission);
        return granted.capped(principal.scope());
    }

    /** Every resource of a kind the principal may read, with a flag saying whether the default already allows all. */
    public Visible visible(Principal principal, ResourceKind kind) {
        if (principal.actsAsAdmin()) return new Visible(true, Map.of());
        Map<String, Permission> granted = store.permissions(kind, principal.name(), principal.groups());
        return new Visible(defaultPermission.capped(principal.scope()).allows(Permission.READ), Map.copyOf(granted), principal.scope());
    }

    /** What a listing may show: everything the default allows, less what grants take away, plus what they give. */
    public record Visible(boolean byDefault, Map<String, Permission> grants, Permission scope) {
        Visible(boolean byDefault, Map<String, Permission> grants) {
            this(byDefault, grants, Permission.MANAGE);
        }

        public boolean canRead(String resource) {
            Permission p = grants.get(resource);
            return p == null ? byDefault : p.capped(scope).allows(Permission.READ);
        }
    }

    private static CairnException denied(Principal principal, String why) {
        return new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied for " + principal.name() + ": " + why);
    }
}

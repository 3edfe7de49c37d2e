package dev.cairn.server.auth;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin APIs (Cairn's {@code /api/v1/auth} and MLflow's auth endpoints) do to accounts, tokens, groups and
 * grants, in one place so that both behave alike: passwords are hashed here and never echoed, a new token's secret
 * is returned once, and every change to who someone is (password, admin flag, groups, tokens, deletion) empties the
 * authenticator's cache so that it takes effect with the next request.
 */
public final class AuthAdmin {

    /** The longest lifetime a token may be given, in days (ten years; "never" is a token without expiry). */
    static final int MAX_TOKEN_DAYS = 3650;

    /**
     * The names new accounts and groups may have: no ':' (HTTP Basic ends the user name at the first one, so such a
     * user could never log in), no '/' or spaces (the admin API names them in URL paths); e-mail addresses fit.
     */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

    private final Passwords passwords;
    private final MetadataStore metadata;
    private final Clock clock;

    /** Asks {@code metadata} for its auth store on each use: a store without one fails only when the API is used. */
    public AuthAdmin(MetadataStore metadata, Passwords passwords, Clock clock) {
        this.passwords = passwords;
        this.metadata = metadata;
        this.clock = clock;
    }

    public AuthStore store() {
        return metadata.auth();
    }

    public Account createUser(Context ctx, String name, String password, boolean admin) {
        if (password == null || password.isEmpty()) throw CairnException.invalid("password", null, "a password (the field is required)");
        Account account = store().createAccount(checkName("name", name), Account.Kind.USER, passwords.hash(password), admin);
        AccessControl.changed(ctx);
        return account;
    }

    public Account createServiceAccount(Context ctx, String name, boolean admin) {
        Account account = store().createAccount(checkName("name", name), Account.Kind.SERVICE_ACCOUNT, null, admin);
        AccessControl.changed(ctx);
        return account;
    }

    static String checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw CairnException.invalid(field, name == null ? null : name.replaceAll("\\p{Cntrl}", "?"),
                    "1 to 128 letters, digits and . _ @ + - (starting with a letter or digit)");
        }
        return name;
    }

    public Account account(String name) {
        if (name == null || name.isBlank()) throw CairnException.invalid("name", name, "an account name");
        return store().account(name).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "Account '" + name + "' does not exist", Map.of("name", name)));
    }

    public void setPassword(Context ctx, String name, String password) {
        account(name);
        if (password == null || password.isEmpty()) throw CairnException.invalid("password", null, "a password (the field is required)");
        store().setPasswordHash(name, passwords.hash(password));
        AccessControl.changed(ctx);
    }

    public Account setAdmin(Context ctx, String name, boolean admin) {
        if (!admin) keepOneAdmin(account(name), "admin");
        store().setAdmin(name, admin);
        AccessControl.changed(ctx);
        return account(name);
    }

    public void deleteAccount(Context ctx, String name) {
        keepOneAdmin(account(name), "name");
        store().deleteAccount(name);
        AccessControl.changed(ctx);
    }

    /** Refuses to take the last admin away: nobody could manage accounts any more (until a restart made a new one). */
    private void keepOneAdmin(Account account, String field) {
        if (account.admin() && store().accounts().stream().filter(Account::admin).count() <= 1) {
            throw CairnException.invalid(field, account.name(), "not the last admin (make another account admin first)");
        }
    }

    /** A token just created: the secret, shown this once, and what is kept of it. */
    public record Created(String token, ApiToken info) {
        @Override
        public String toString() {
            return "Created[token=(not shown), info=" + info + "]";
        }
    }

    /**
     * Creates an API token for {@code account}, with a scope (default MANAGE) that may not exceed {@code maxScope}
     * (the scope of the credentials asking: a read-only token cannot mint a token that writes), expiring after
     * {@code expiresInDays} days (null: never).
     */
    public Created createToken(Context ctx, String account, String description, Permission scope, Integer expiresInDays,
                               Permission maxScope) {
        account(account);
        Permission wanted = scope == null ? Permission.MANAGE : scope;
        if (wanted == Permission.NO_PERMISSIONS) throw CairnException.invalid("scope", wanted, "one of READ, INVOKE, EDIT, MANAGE");
        if (!maxScope.allows(wanted)) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied: credentials of scope " + maxScope
                    + " cannot create a token of scope " + wanted, Map.of("field", "scope"));
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_TOKEN_DAYS)) {
            throw CairnException.invalid("expires_in_days", expiresInDays, "a number of days from 1 to " + MAX_TOKEN_DAYS);
        }
        if (description != null && description.length() > 1000) {
            throw CairnException.invalid("description", description.substring(0, 32) + "…", "at most 1000 characters");
        }
        Instant now = clock.instant();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        ApiTokens.NewToken secret = ApiTokens.generate();
        ApiToken stored = store().createToken(new ApiToken(secret.id(), account, description, wanted, now, expires, null),
                ApiTokens.sha256(secret.token()));
        AccessControl.changed(ctx);
        return new Created(secret.token(), stored);
    }

    public ApiToken token(String id) {
        return store().token(id).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "Token '" + id + "' does not exist", Map.of("token_id", id)));
    }

    /** Revokes a token; the change is effective for the next request (the authenticator's cache is emptied). */
    public ApiToken revokeToken(Context ctx, String id) {
        token(id);
        store().revokeToken(id);
        AccessControl.changed(ctx);
        return token(id);
    }

    public void createGroup(Context ctx, String name) {
        store().createGroup(checkName("name", name));
        AccessControl.changed(ctx);
    }

    public void deleteGroup(Context ctx, String name) {
        store().deleteGroup(name);
        AccessControl.changed(ctx);
    }

    public void addMember(Context ctx, String group, String account) {
        store().addMember(group, account);
        AccessControl.changed(ctx);
    }

    public void removeMember(Context ctx, String group, String account) {
        store().members(group);
        account(account);
        store().removeMember(group, account);
        AccessControl.changed(ctx);
    }

    /**
     * Checks that a grant's resource exists where Cairn can tell here: experiments and registered models. Deployments,
     * pipelines and feature definitions may be granted by name before they exist (a team is given a pipeline it is about
     * to create, or a feature view it is about to apply).
     */
    public void requireResource(ResourceKind kind, String resource) {
        if (resource == null || resource.isBlank()) throw CairnException.invalid(kind == ResourceKind.EXPERIMENT ? "experiment_id" : "name",
                resource, "the " + kind.wireName() + " the grant is on");
        switch (kind) {
            case EXPERIMENT -> metadata.experiments().getExperiment(resource);
            case REGISTERED_MODEL -> metadata.registry().getRegisteredModel(resource);
            case DEPLOYMENT, PIPELINE, FEATURE -> { }
        }
    }

    public Optional<Grant> grant(ResourceKind kind, String resource, Grantee grantee) {
        return store().grants(kind, resource).stream().filter(g -> g.grantee().equals(grantee)).findFirst();
    }

    public Grant requireGrant(ResourceKind kind, String resource, Grantee grantee) {
        return grant(kind, resource, grantee).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "No grant on " + kind.wireName() + " '" + resource + "' to " + grantee.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " '" + grantee.name() + "'", Map.of("resource", resource, "grantee", grantee.name())));
    }

    /** Creates a grant; RESOURCE_ALREADY_EXISTS when the grantee already has one on the resource (MLflow's create). */
    public Grant createGrant(ResourceKind kind, String resource, Grantee grantee, Permission permission) {
        requireResource(kind, resource);
        if (grant(kind, resource, grantee).isPresent()) {
            throw new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "A grant on " + kind.wireName() + " '" + resource + "' to '"
                    + grantee.name() + "' already exists", Map.of("resource", resource, "grantee", grantee.name()));
        }
        return putGrant(kind, resource, grantee, permission);
    }

    /** Creates or replaces a grant. */
    public Grant putGrant(ResourceKind kind, String resource, Grantee grantee, Permission permission) {
        requireResource(kind, resource);
        if (permission == null) throw CairnException.invalid("permission", null, "one of READ, EDIT, MANAGE, INVOKE, NO_PERMISSIONS");
        if (permission == Permission.INVOKE && kind != ResourceKind.DEPLOYMENT) {
            throw CairnException.invalid("permission", permission, "READ, EDIT, MANAGE or NO_PERMISSIONS (INVOKE is for deployments)");
        }
        Grant grant = new Grant(kind, resource, grantee, permission);
        store().putGrant(grant);
        return grant;
    }

    /** Changes an existing grant; RESOURCE_DOES_NOT_EXIST when there is none (MLflow's update). */
    public Grant updateGrant(ResourceKind kind, String resource, Grantee grantee, Permission permission) {
        requireGrant(kind, resource, grantee);
        return putGrant(kind, resource, grantee, permission);
    }

    public void deleteGrant(ResourceKind kind, String resource, Grantee grantee) {
        if (!store().deleteGrant(kind, resource, grantee)) requireGrant(kind, resource, grantee);
    }

    public List<Grant> grants(ResourceKind kind, String resource) {
        requireResource(kind, resource);
        return store().grants(kind, resource);
    }

    /** The caller, when authentication is on and it has one. */
    public static Optional<Principal> caller(Context ctx) {
        return AccessControl.principal(ctx).filter(p -> !(p instanceof Principal.Anonymous));
    }

    /**
     * True when the caller may act on {@code account}'s own things (its password, its tokens): it is that account,
     * or an admin, or authentication is off (the single-user default, where everyone is the one user).
     */
    public static boolean mayActFor(Context ctx, String account) {
        Optional<Principal> caller = caller(ctx);
        if (AccessControl.principal(ctx).isEmpty()) return true;
        return caller.isPresent() && (caller.get().actsAsAdmin() || caller.get().name().equals(account));
    }

    /** The scope of the caller's credentials (MANAGE without authentication). */
    public static Permission callerScope(Context ctx) {
        return caller(ctx).map(Principal::scope).orElse(Permission.MANAGE);
    }

    public static CairnException notYours(Context ctx, String what) {
        String who = caller(ctx).map(Principal::name).orElse("anonymous");
        return new CairnException(ErrorCode.PERMISSION_DENIED, "Permission denied for " + who + ": " + what + " needs an admin");
    }
}

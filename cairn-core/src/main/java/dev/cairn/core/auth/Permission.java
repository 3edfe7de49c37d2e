package dev.cairn.core.auth;

import dev.cairn.core.error.CairnException;
import java.util.Locale;

/**
 * What a principal may do to one resource. READ, EDIT and MANAGE mean what they mean in MLflow's auth app: READ
 * sees, EDIT also changes (logs to runs, updates, tags), MANAGE also deletes and grants permissions to others.
 * INVOKE is Cairn's own, for a deployment's inference endpoints: a service that scores requests needs nothing else,
 * and a reader of a deployment's state does not thereby get to call it. EDIT and MANAGE include INVOKE.
 */
public enum Permission {
    NO_PERMISSIONS,
    INVOKE,
    READ,
    EDIT,
    MANAGE;

    /** True when holding this permission is enough for an action that needs {@code needed}. */
    public boolean allows(Permission needed) {
        return switch (needed) {
            case NO_PERMISSIONS -> true;
            case INVOKE -> this == INVOKE || this == EDIT || this == MANAGE;
            case READ -> this == READ || this == EDIT || this == MANAGE;
            case EDIT -> this == EDIT || this == MANAGE;
            case MANAGE -> this == MANAGE;
        };
    }

    /**
     * The weaker of two permissions, for a token whose scope caps its owner's permission. INVOKE and READ are not
     * ordered: their meet is NO_PERMISSIONS.
     */
    public Permission capped(Permission scope) {
        if (scope.allows(this)) return this;
        if (this.allows(scope)) return scope;
        return NO_PERMISSIONS;
    }

    /** Parses a name as MLflow spells it ({@code READ}, {@code EDIT}, {@code MANAGE}, {@code NO_PERMISSIONS}) or {@code INVOKE}. */
    public static Permission parse(String field, String value) {
        if (value != null) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // falls through to the error naming the choices
            }
        }
        throw CairnException.invalid(field, value, "one of READ, EDIT, MANAGE, INVOKE, NO_PERMISSIONS");
    }
}

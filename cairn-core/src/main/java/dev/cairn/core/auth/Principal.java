package dev.cairn.core.auth;

import java.util.Set;

/**
 * Who is making a request, once authenticated: a person, a service account (tokens only, no password), or nobody.
 * {@code scope} caps what the credentials used may do (an API token made for reading reads, whoever owns it); a
 * password login has the full scope, MANAGE. Admin powers need the full scope too.
 */
public sealed interface Principal {

    String name();

    /** The groups the principal belongs to: their grants apply to it. */
    Set<String> groups();

    boolean admin();

    Permission scope();

    /** Admin powers are used only through credentials of full scope. */
    default boolean actsAsAdmin() {
        return admin() && scope() == Permission.MANAGE;
    }

    record User(String name, Set<String> groups, boolean admin, Permission scope) implements Principal {
        public User {
            groups = Set.copyOf(groups);
        }
    }

    record ServiceAccount(String name, Set<String> groups, boolean admin, Permission scope) implements Principal {
        public ServiceAccount {
            groups = Set.copyOf(groups);
        }
    }

    /** No credentials: may reach the public routes only. */
    record Anonymous() implements Principal {
        public static final String NAME = "anonymous";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Set<String> groups() {
            return Set.of();
        }

        @Override
        public boolean admin() {
            return false;
        }

        @Override
        public Permission scope() {
            return Permission.NO_PERMISSIONS;
        }
    }
}

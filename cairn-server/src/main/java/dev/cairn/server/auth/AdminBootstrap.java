package dev.cairn.server.auth;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The first start with authentication: without any admin, creates the account {@value #ADMIN} with the password
 * of {@code CAIRN_ADMIN_PASSWORD}, or a random one printed once to the console (never to the log). Later starts
 * change nothing, so the variable can stay set without resetting a password the admin changed.
 */
public final class AdminBootstrap {

    public static final String ADMIN = "admin";
    public static final String PASSWORD_VARIABLE = "CAIRN_ADMIN_PASSWORD";

    private AdminBootstrap() {}

    /** Creates the first admin if there is none; returns whether it did. */
    public static boolean run(AuthStore store, Passwords passwords, Optional<String> fromEnvironment, PrintStream console) {
        if (store.anyAdmin()) return false;
        boolean generated = fromEnvironment.filter(p -> !p.isBlank()).isEmpty();
        String password = generated ? generate() : fromEnvironment.get();
        String hash = passwords.hash(password);
        if (store.account(ADMIN).isPresent()) {
            store.setPasswordHash(ADMIN, hash);
            store.setAdmin(ADMIN, true);
        } else {
            try {
                store.createAccount(ADMIN, Account.Kind.USER, hash, true);
            } catch (CairnException e) {
                // Several servers starting at once on a new database (a Deployment's replicas): one created the admin
                // between this one's look and its insert. That is the outcome wanted, not a reason to fail the start.
                if (e.code() == ErrorCode.RESOURCE_ALREADY_EXISTS && store.anyAdmin()) return false;
                throw e;
            }
        }
        if (generated) {
            console.println("Cairn: created the admin account '" + ADMIN + "' with the password " + password);
            console.println("Cairn: this password is shown once; change it (PUT /api/v1/auth/users/admin/password) or set "
                    + PASSWORD_VARIABLE + " before the first start.");
        } else {
            console.println("Cairn: created the admin account '" + ADMIN + "' with the password from " + PASSWORD_VARIABLE);
        }
        return true;
    }

    private static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

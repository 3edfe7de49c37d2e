package dev.cairn.server.auth;

import dev.cairn.core.error.CairnException;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Password hashing with Argon2id (Spring Security's encoder over Bouncy Castle), the parameters OWASP recommends
 * for a server (19 MiB, 2 iterations): the encoded hash carries its salt and parameters, so they can be raised later
 * without invalidating stored hashes. A wrong password and an unknown user cost the same time ({@link #verifyNothing}).
 */
public final class Passwords {

    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;

    private final Argon2PasswordEncoder encoder;
    /** Made on the first unknown user's login, not at construction: every server builds one, most never use it. */
    private volatile String dummyHash;

    public Passwords() {
        this(new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2));
    }

    private Passwords(Argon2PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    /** A cheap encoder for tests, where hundreds of logins must not take minutes. */
    public static Passwords forTests() {
        return new Passwords(new Argon2PasswordEncoder(16, 32, 1, 1024, 1));
    }

    /** Hashes a new password, refusing one too short or too long (without echoing it). */
    public String hash(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw CairnException.invalid("password", "(not shown)", "a password of " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null || password.length() > MAX_LENGTH) return false;
        try {
            return encoder.matches(password, hash);
        } catch (RuntimeException malformedHash) {
            return false;
        }
    }

    /** Spends the time of one verification, for an unknown user, so that timing does not tell which users exist. */
    public void verifyNothing(String password) {
        String hash = dummyHash;
        if (hash == null) {
            hash = encoder.encode("not a password of anyone");
            dummyHash = hash;
        }
        matches(password == null ? "" : password, hash);
    }
}

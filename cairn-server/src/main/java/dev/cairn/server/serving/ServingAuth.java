package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.auth.ApiTokens;
import dev.cairn.server.auth.AuthOptions;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call a standalone serving process ({@code cairn serve}), which has no accounts: with
 * {@code --token-file FILE}, every route but health needs {@code Authorization: Bearer <token>} with one of the
 * file's tokens. As {@code cairn server} does, it refuses to listen on an address other machines can reach unless
 * requests must authenticate, or {@code --insecure-no-auth} says that anyone who reaches the port may predict and
 * change its deployments.
 *
 * <p>The file holds one token per line ({@code #} comments and blank lines aside): an API token ({@code cairn_…}, as
 * {@code cairn tokens create} makes them) or the SHA-256 (64 hex digits) of a secret, so that the file need not hold
 * the secret itself. Only the hashes are kept in memory, and a presented token's hash is compared with every one of
 * them in constant time ({@link MessageDigest#isEqual}), as {@code cairn server} keeps and checks its tokens.
 */
public final class ServingAuth {

    /** Probes send no credentials: liveness, readiness and the protocols' health and server metadata stay open. */
    static final Set<String> OPEN = Set.of("/health/live", "/health/ready", "/ping", "/v2/health/live", "/v2/health/ready", "/v2");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String BEARER = "Bearer ";

    private final List<byte[]> hashes;
    private final boolean insecureNoAuth;

    private ServingAuth(List<byte[]> hashes, boolean insecureNoAuth) {
        this.hashes = List.copyOf(hashes);
        this.insecureNoAuth = insecureNoAuth;
    }

    /** No authentication, which only a loopback address allows (the default). */
    public static ServingAuth none() {
        return new ServingAuth(List.of(), false);
    }

    /** No authentication on any address, by the operator's explicit choice ({@code --insecure-no-auth}). */
    public static ServingAuth insecureNoAuth() {
        return new ServingAuth(List.of(), true);
    }

    /** From the command line: {@code --token-file FILE} (or null) and {@code --insecure-no-auth}, not both. */
    public static ServingAuth of(Path tokenFile, boolean insecureNoAuth) {
        if (tokenFile != null && insecureNoAuth) {
            throw CairnException.invalid("--insecure-no-auth", "with --token-file", "either --token-file or --insecure-no-auth, not both");
        }
        if (tokenFile != null) return tokens(tokenFile);
        return insecureNoAuth ? insecureNoAuth() : none();
    }

    /** Requests must bear one of the tokens of {@code file}; the file is read once, now. */
    public static ServingAuth tokens(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw CairnException.invalid("--token-file", String.valueOf(file), "a readable UTF-8 file of tokens, one per line");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (ApiTokens.looksLikeToken(line)) {
                hashes.add(hexBytes(ApiTokens.sha256(line)));
            } else if (SHA256.matcher(line).matches()) {
                hashes.add(hexBytes(line.toLowerCase(Locale.ROOT)));
            } else {
                // The line is not echoed: it may be a secret with a typo.
                throw CairnException.invalid("--token-file", file + " line " + (i + 1),
                        "an API token (cairn_…) or the SHA-256 of a secret (64 hex digits) on each line");
            }
        }
        if (hashes.isEmpty()) throw CairnException.invalid("--token-file", String.valueOf(file), "at least one token");
        return new ServingAuth(hashes, false);
    }

    /** Whether requests must bear a token. */
    public boolean required() {
        return !hashes.isEmpty();
    }

    public boolean isInsecureNoAuth() {
        return insecureNoAuth;
    }

    /** Refuses an address other machines can reach unless requests authenticate or the operator said otherwise. */
    public void checkBinding(String host) {
        if (required() || insecureNoAuth || AuthOptions.isLoopback(host)) return;
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "refusing to listen on " + host + " without authentication: "
                + "add --token-file FILE (the bearer tokens requests must send) or, to accept that anyone who reaches the port may "
                + "predict and change its deployments, --insecure-no-auth", Map.of("field", "--host", "value", host));
    }

    /** Checks every request but the open ones before its handler, when tokens are required. */
    void install(JavalinConfig config) {
        if (!required()) return;
        config.routes.before(this::check);
    }

    private void check(Context ctx) {
        if (OPEN.contains(ctx.path())) return;
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new CairnException(ErrorCode.UNAUTHENTICATED, "Authentication required: send Authorization: Bearer <token>");
        }
        if (!accepts(header)) throw new CairnException(ErrorCode.UNAUTHENTICATED, "Invalid credentials");
    }

    /** Whether an Authorization header bears one of the tokens; never says which part was wrong. */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() > 4096 || !authorization.startsWith(BEARER)) return false;
        String token = authorization.substring(BEARER.length()).strip();
        if (token.isEmpty()) return false;
        byte[] presented = hexBytes(ApiTokens.sha256(token));
        boolean match = false;
        // Every hash is compared, and each comparison takes the same time whatever matches, so timing tells nothing.
        for (byte[] hash : hashes) match |= MessageDigest.isEqual(hash, presented);
        return match;
    }

    private static byte[] hexBytes(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.cairn.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.AuthOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn users|groups|tokens|grants} against a server with login on; credentials as the environment gives them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthCommandsTest {

    private static final String ADMIN_PASSWORD = "admin-password-1";
    private ServerMain.RunningServer running;
    private String experimentId;

    @BeforeAll
    void start(@TempDir Path dir) {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toUri().toString();
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            store.auth().createAccount("admin", Account.Kind.USER, new dev.cairn.server.auth.Passwords().hash(ADMIN_PASSWORD), true);
            experimentId = store.experiments().createExperiment("cli-experiment", null, List.of());
        }
        running = ServerMain.start(new ServerOptions(storeUri, artifacts, "127.0.0.1", 0)
                .withAuth(new AuthOptions(true, false, Permission.NO_PERMISSIONS, List.of())), Clock.systemUTC(), false);
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @AfterEach
    void forgetCredentials() {
        ServerOption.environment = System::getenv;
    }

    private static void as(Map<String, String> environment) {
        ServerOption.environment = environment::get;
    }

    private static void asAdmin() {
        as(Map.of("CAIRN_USERNAME", "admin", "CAIRN_PASSWORD", ADMIN_PASSWORD));
    }

    private CliRunner.Result run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--server";
        all[args.length + 1] = running.url();
        return CliRunner.run(all);
    }

    private CliRunner.Result withStdin(String input, String... args) {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return run(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void anAdminCreatesAUserGivesItATokenAndAGrantAndRevokesIt() {
        asAdmin();
        CliRunner.Result created = withStdin("alice-password-1\n", "users", "create", "alice", "--password-stdin");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("alice").doesNotContain("alice-password-1");
        assertThat(run("users", "list").out()).contains("alice").contains("admin");

        CliRunner.Result token = run("tokens", "create", "--account", "alice", "--scope", "READ", "--description", "notebook");
        assertThat(token.exitCode()).as(token.err()).isZero();
        String secret = token.out().strip();
        assertThat(secret).startsWith("cairn_");

        assertThat(run("grants", "set", "experiment", experimentId, "READ", "--user", "alice").exitCode()).isZero();
        assertThat(run("grants", "list", "experiment", experimentId).out()).contains("alice").contains("READ");

        as(Map.of("CAIRN_TOKEN", secret));
        CliRunner.Result listed = run("tokens", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("alice").contains("notebook").doesNotContain(secret.substring(18));
        String id = secret.substring("cairn_".length(), "cairn_".length() + 11);
        // alice may not manage the experiment's grants, nor accounts.
        assertThat(run("grants", "list", "experiment", experimentId).exitCode()).isEqualTo(2);
        assertThat(run("users", "list").exitCode()).isEqualTo(2);

        asAdmin();
        assertThat(run("grants", "delete", "experiment", experimentId, "--user", "alice").exitCode()).isZero();
        assertThat(run("tokens", "revoke", id).exitCode()).isZero();
        as(Map.of("CAIRN_TOKEN", secret));
        CliRunner.Result revoked = run("tokens", "list");
        assertThat(revoked.exitCode()).isEqualTo(2);
        assertThat(revoked.err().strip()).startsWith("cairn: ").doesNotContain("\n").doesNotContain(secret);

        asAdmin();
        CliRunner.Result password = withStdin("alice-password-2\n", "users", "password", "alice", "--password-stdin");
        assertThat(password.exitCode()).as(password.err()).isZero();
        assertThat(run("users", "delete", "alice").exitCode()).isZero();
    }

    @Test
    void groupsCollectMembers() {
        asAdmin();
        assertThat(withStdin("bob-password-1\n", "users", "create", "bob", "--password-stdin").exitCode()).isZero();
        assertThat(run("groups", "create", "analysts").exitCode()).isZero();
        assertThat(run("groups", "add", "analysts", "bob").out()).contains("bob");
        assertThat(run("grants", "set", "registered_model", "credit", "EDIT", "--group", "analysts").exitCode()).isEqualTo(2);
        assertThat(run("grants", "set", "pipeline", "nightly", "EDIT", "--group", "analysts").exitCode()).isZero();
        assertThat(run("groups", "list").out()).contains("analysts").contains("bob");
        assertThat(run("groups", "remove", "analysts", "bob").exitCode()).isZero();
        assertThat(run("groups", "delete", "analysts").exitCode()).isZero();
    }

    @Test
    void badInputIsOneLineAndExit2() {
        asAdmin();
        for (String[] args : List.of(
                new String[] {"grants", "set", "widget", "x", "READ", "--user", "admin"},
                new String[] {"grants", "set", "experiment", experimentId, "OWNER", "--user", "admin"},
                new String[] {"grants", "set", "experiment", experimentId, "READ"},
                new String[] {"grants", "set", "experiment", experimentId, "READ", "--user", "a", "--group", "b"},
                new String[] {"tokens", "create", "--scope", "ALL"},
                new String[] {"tokens", "create", "--expires-in-days", "0"},
                new String[] {"users", "create", "carol", "--password-stdin"},
                new String[] {"users", "delete", "no-such-user"})) {
            CliRunner.Result r = withStdin("", args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("cairn: ").doesNotContain("\n");
        }
        as(Map.of());
        CliRunner.Result anonymous = run("users", "list");
        assertThat(anonymous.exitCode()).isEqualTo(2);
        assertThat(anonymous.err()).contains("CAIRN_TOKEN");
        CliRunner.Result wrongServer = CliRunner.run("users", "list", "--server", "ftp://example");
        assertThat(wrongServer.exitCode()).isEqualTo(2);
        assertThat(wrongServer.err()).contains("--server");
    }
}

package dev.cairn.cli.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn serve}'s secure default: an address other machines reach needs --token-file or --insecure-no-auth. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void aNonLoopbackHostWithoutAuthenticationExitsWithOneLine() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        CliRunner.Result result = CliRunner.runOn("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toString(),
                "serve", "--model", model.toString(), "--host", "0.0.0.0", "--port", "0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("cairn: refusing to listen on 0.0.0.0").contains("--token-file")
                .contains("--insecure-no-auth").doesNotContain("\n");
        assertThat(result.out()).doesNotContain("Serving");
    }

    @Test
    void aTokenFileAndInsecureNoAuthTogetherAreRefused() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "a".repeat(64) + "\n");
        CliRunner.Result result = CliRunner.runOn("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toString(),
                "serve", "--model", dir.toString(), "--host", "0.0.0.0", "--token-file", tokens.toString(), "--insecure-no-auth");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("not both");
    }
}

package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void aTokenWinsOverAUserAndPasswordAndCairnsVariablesOverMlflows() {
        assertThat(Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "m", "CAIRN_TOKEN", "c",
                "CAIRN_USERNAME", "u", "CAIRN_PASSWORD", "p")::get).authorization()).isEqualTo("Bearer c");
        assertThat(Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "m")::get).authorization()).isEqualTo("Bearer m");
        String basic = Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "ann", "CAIRN_PASSWORD", "pä:ss")::get).authorization();
        assertThat(new String(Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8)).isEqualTo("ann:pä:ss");
    }

    @Test
    void aUserWithoutAPasswordOrBlankValuesAreNoCredentials() {
        assertThat(Credentials.fromEnvironment(Map.of("CAIRN_USERNAME", "ann")::get).present()).isFalse();
        assertThat(Credentials.fromEnvironment(Map.of("CAIRN_TOKEN", " ")::get).present()).isFalse();
        assertThat(Credentials.fromEnvironment(Map.<String, String>of()::get)).isEqualTo(Credentials.NONE);
    }

    @Test
    void theSecretIsNeverPrinted() {
        assertThat(Credentials.bearer("cairn_abc_secret").toString()).doesNotContain("secret").contains("Bearer");
        assertThat(Credentials.basic("ann", "hunter2").toString()).doesNotContain("hunter2").doesNotContain("ann");
        assertThat(Credentials.NONE.toString()).contains("none");
    }
}

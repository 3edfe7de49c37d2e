package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("cairn serve's entry point serves the champion from the registry, and refuses bad input with a 400")
class ServingLauncherTest {

    @TempDir
    Path dir;

    @Test
    void the_champion_is_served_by_alias_from_a_sqlite_store_and_a_bad_request_gets_its_400() throws Exception {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toString();
        new RegistryFixture(dir, RegistryFixture.config(dir)).close();
        try (ServingLauncher.Running running = ServingLauncher.serve("models:/credit-risk@champion", "credit-risk", storeUri,
                artifacts, "127.0.0.1", 0, dir.resolve("log"), ServingLimits.DEFAULTS)) {
            Http http = new Http(running.url());
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            Http.Response ok = http.post("/invocations", "{\"dataframe_records\": [{\"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}]}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-Cairn-Model-Version")).isEqualTo("1");
            Http.Response bad = http.post("/api/v1/deployments/credit-risk/predict", "{\"inputs\": {\"age\": \"old\", \"purpose\": \"yacht\"}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("details").get("errors")).hasSize(2);
        }
    }

    @Test
    void a_model_uri_resolves_to_the_local_package_the_duckdb_path_loads_for_an_engine_that_ships_it_itself() throws Exception {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toString();
        new RegistryFixture(dir, RegistryFixture.config(dir)).close();

        ServingLauncher.LocalPackage champion = ServingLauncher.localPackage("models:/credit-risk@champion", storeUri, artifacts);
        assertThat(champion.name()).isEqualTo("credit-risk");
        assertThat(champion.version()).isEqualTo("1");
        assertThat(Files.readString(champion.path().resolve("model.yaml")))
                .isEqualTo(Files.readString(dir.resolve("artifacts/models/v1/model.yaml")));
        ServingLauncher.LocalPackage second = ServingLauncher.localPackage("models:/credit-risk/2", storeUri, artifacts);
        assertThat(second.version()).isEqualTo("2");
        assertThat(Files.readString(second.path().resolve("model.yaml")))
                .isEqualTo(Files.readString(dir.resolve("artifacts/models/v2/model.yaml")));
        try (Model model = Models.load(second.path())) {
            assertThat(model.signature().inputNames()).contains("age", "amount", "purpose");
        }
        // A package path is used as it is, without a store.
        ServingLauncher.LocalPackage path = ServingLauncher.localPackage(dir.resolve("artifacts/models/v1").toString(), null, null);
        assertThat(path.path()).isEqualTo(dir.resolve("artifacts/models/v1").toAbsolutePath().normalize());
        assertThat(path.version()).isEqualTo("1");
    }
}

package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.features.FeatureStore;
import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.ApiTokens;
import dev.cairn.server.auth.AuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature definitions are a resource kind of their own ({@code feature}, by name): a caller sees, in the listing and
 * one by one, only the definitions it may read, and deploying a feature service needs READ on it, since the deployment
 * serves its features to whoever may invoke it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeatureAccessTest {

    private ServerMain.RunningServer running;
    private Http http;
    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("defs"));
        Files.writeString(dir.resolve("defs/profiles.csv"), FeatureServer.PROFILES);
        Files.writeString(dir.resolve("defs/orders.csv"), FeatureServer.ORDERS);
        Files.writeString(dir.resolve("defs/features.yaml"), FeatureServer.DEFINITIONS);
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0).withOnlineStore("sqlite:" + dir.resolve("online.db"))
                .withAuth(new AuthOptions(true, false, Permission.NO_PERMISSIONS, List.of()));
        running = ServerMain.start(options, Clock.systemUTC(), false);
        http = new Http(running.url());
        new FeatureStore(running.store().features(), FeatureStore.unconfined(), name -> null).apply(dir.resolve("defs"), "admin");
        AuthStore auth = running.store().auth();
        for (String user : List.of("admin", "analyst", "deployer")) {
            // The admin exists already: the server made it on its first start.
            if (!user.equals("admin")) auth.createAccount(user, Account.Kind.USER, null, false);
            ApiTokens.NewToken token = ApiTokens.generate();
            auth.createToken(new ApiToken(token.id(), user, "test", Permission.MANAGE, null, null, null), ApiTokens.sha256(token.token()));
            tokens.put(user, token.token());
        }
        auth.putGrant(new Grant(ResourceKind.FEATURE, "customer_profile", Grantee.user("analyst"), Permission.READ));
        auth.putGrant(new Grant(ResourceKind.DEPLOYMENT, "scoring", Grantee.user("deployer"), Permission.EDIT));
        auth.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit-risk", Grantee.user("deployer"), Permission.READ));
        running.store().registry().createRegisteredModel("credit-risk", null, List.of(), "admin");
        running.store().registry().createModelVersion("credit-risk",
                RegistryFixture.inStore(dir, CreditModels.shared(5, false), "v1").toString(), null, null, List.of(), "admin");
    }

    @AfterAll
    void stop() {
        if (running != null) running.close();
    }

    private Http.Response as(String method, String path, String user, String body) {
        return http.send(method, path, body, null, Map.of("Authorization", "Bearer " + tokens.get(user)));
    }

    @Test
    void theListingAndEachDefinitionShowOnlyWhatTheCallerMayRead() {
        assertThat(as("GET", "/api/v1/features", "analyst", null).json().get("definitions").findValuesAsText("name"))
                .containsExactly("customer_profile");
        assertThat(as("GET", "/api/v1/features", "admin", null).json().get("definitions").findValuesAsText("name"))
                .contains("customer", "profiles", "orders", "customer_profile", "customer_orders", "credit");
        assertThat(as("GET", "/api/v1/features/customer_profile", "analyst", null).status()).isEqualTo(200);
        Http.Response refused = as("GET", "/api/v1/features/customer_orders", "analyst", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("feature").contains("customer_orders");
        assertThat(as("GET", "/api/v1/features/customer_orders/versions", "analyst", null).status()).isEqualTo(403);
    }

    @Test
    void grantingAFeatureGoesThroughTheGrantsApi() {
        Http.Response put = as("PUT", "/api/v1/auth/features/customer_orders/grants/users/analyst", "admin", "{\"permission\": \"READ\"}");
        assertThat(put.status()).as(put.body()).isBetween(200, 201);
        try {
            assertThat(as("GET", "/api/v1/features/customer_orders", "analyst", null).status()).isEqualTo(200);
        } finally {
            as("DELETE", "/api/v1/auth/features/customer_orders/grants/users/analyst", "admin", null);
        }
        assertThat(as("GET", "/api/v1/features/customer_orders", "analyst", null).status()).isEqualTo(403);
    }

    @Test
    void deployingAFeatureServiceNeedsReadOnIt() {
        String body = "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}], \"feature_service\": \"credit\"}";
        Http.Response refused = as("PUT", "/api/v1/deployments/scoring", "deployer", body);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("credit");
        assertThat(running.serving().deployments().find("scoring")).as("nothing deployed").isNull();

        running.store().auth().putGrant(new Grant(ResourceKind.FEATURE, "credit", Grantee.user("deployer"), Permission.READ));
        Http.Response allowed = as("PUT", "/api/v1/deployments/scoring", "deployer", body);
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    }
}

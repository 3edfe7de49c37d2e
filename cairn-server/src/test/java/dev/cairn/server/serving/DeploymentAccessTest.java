package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.ApiTokens;
import dev.cairn.server.auth.AuthOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments on a server with authentication: EDIT on a deployment does not let its holder serve a model it may
 * not read (targets, shadow, weights; a storage location only for admins), the deployments listing and /metrics show
 * the deployments the caller may read, and a deleted deployment's grants are gone when one of its name comes back.
 * The deployer may edit deployments {@code fresh} and {@code canary} and read model {@code credit-risk}, not model
 * {@code secret}; the viewer may read deployment {@code web} only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentAccessTest {

    private ServerMain.RunningServer running;
    private Http http;
    private Path location;
    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toString();
        location = RegistryFixture.inStore(dir, CreditModels.shared(5, false), "v1");
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            for (String model : List.of("credit-risk", "secret")) {
                store.registry().createRegisteredModel(model, null, List.of(), "admin");
                store.registry().createModelVersion(model, location.toString(), null, null, List.of(), "admin");
            }
            AuthStore auth = store.auth();
            for (String user : List.of("admin", "deployer", "viewer")) {
                auth.createAccount(user, Account.Kind.USER, null, user.equals("admin"));
                ApiTokens.NewToken token = ApiTokens.generate();
                auth.createToken(new ApiToken(token.id(), user, "test", Permission.MANAGE, null, null, null), ApiTokens.sha256(token.token()));
                tokens.put(user, token.token());
            }
            auth.putGrant(new Grant(ResourceKind.DEPLOYMENT, "fresh", Grantee.user("deployer"), Permission.EDIT));
            auth.putGrant(new Grant(ResourceKind.DEPLOYMENT, "canary", Grantee.user("deployer"), Permission.EDIT));
            auth.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit-risk", Grantee.user("deployer"), Permission.READ));
            auth.putGrant(new Grant(ResourceKind.DEPLOYMENT, "web", Grantee.user("viewer"), Permission.READ));
        }
        running = ServerMain.start(new ServerOptions(storeUri, artifacts, "127.0.0.1", 0)
                .withAuth(new AuthOptions(true, false, Permission.NO_PERMISSIONS, List.of())), Clock.systemUTC(), false);
        http = new Http(running.url());
        assertThat(deploy("web", "admin", one("models:/credit-risk/1")).status()).isEqualTo(200);
        assertThat(deploy("hidden", "admin", one("models:/credit-risk/1")).status()).isEqualTo(200);
        assertThat(deploy("canary", "admin", """
                {"targets": [{"model": "models:/credit-risk/1", "weight": 100}, {"model": "models:/secret/1", "weight": 0}]}""")
                .status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (running != null) running.close();
    }

    @Test
    void deployingAModelTheCallerMayNotReadIsRefusedNamingTheModel() {
        Http.Response target = deploy("fresh", "deployer", one("models:/secret/1"));
        assertThat(target.status()).as(target.body()).isEqualTo(403);
        assertThat(target.json().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(target.json().get("message").asText()).contains("'secret'").contains("READ");
        assertThat(as("GET", "/api/v1/deployments/fresh", "admin", null).status()).as("nothing was deployed").isEqualTo(404);

        Http.Response shadow = deploy("fresh", "deployer", """
                {"targets": [{"model": "models:/credit-risk/1", "weight": 100}], "shadow": "models:/secret/1"}""");
        assertThat(shadow.status()).isEqualTo(403);
        assertThat(shadow.json().get("message").asText()).contains("'secret'");

        Http.Response path = deploy("fresh", "deployer", one(location.toString()));
        assertThat(path.status()).isEqualTo(403);
        assertThat(path.json().get("message").asText()).contains("admin");

        assertThat(deploy("fresh", "deployer", one("models:/credit-risk/1")).status()).isEqualTo(200);
    }

    @Test
    void weightsGiveTrafficOnlyToModelsTheCallerMayRead() {
        Http.Response secret = as("POST", "/api/v1/deployments/canary/weights", "deployer", "{\"weights\": {\"models:/secret/1\": 50}}");
        assertThat(secret.status()).as(secret.body()).isEqualTo(403);
        assertThat(secret.json().get("message").asText()).contains("'secret'");
        assertThat(as("POST", "/api/v1/deployments/canary/weights", "deployer", "{\"weights\": {\"models:/credit-risk/1\": 90}}").status())
                .isEqualTo(200);
    }

    @Test
    void theWebUisWeightsFormChecksTheModelsAsTheApiDoes() throws Exception {
        String csrf = "c".repeat(43);
        java.util.function.Function<String, Integer> post = form -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(running.url() + "/ui/deployments/canary/weights"))
                        .header("Authorization", "Bearer " + tokens.get("deployer")).header("Cookie", "cairn_csrf=" + csrf)
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&reason=test&confirm=yes&csrf=" + csrf)).build();
                return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(post.apply("target=models%3A%2Fcredit-risk%2F1&weight=50&target=models%3A%2Fsecret%2F1&weight=50")).isEqualTo(403);
        assertThat(running.serving().deployments().find("canary").spec().targets())
                .filteredOn(t -> t.model().equals("models:/secret/1")).singleElement().satisfies(t -> assertThat(t.weight()).isZero());
        assertThat(post.apply("target=models%3A%2Fcredit-risk%2F1&weight=100")).isEqualTo(303);
    }

    @Test
    void anEvaluationReadsOnlyACandidateTheCallerMayRead() {
        String body = "{\"model\": \"%s\", \"data\": \"held-out.csv\", \"label\": \"class\", \"registered_model\": \"credit-risk\"}";
        Http.Response secret = as("POST", "/api/v1/evaluations", "deployer", body.formatted("models:/secret/1"));
        assertThat(secret.status()).as(secret.body()).isEqualTo(403);
        assertThat(secret.json().get("message").asText()).contains("'secret'");
        // Its own model passes the check and meets the next one: the server reads no data file without a data root.
        Http.Response own = as("POST", "/api/v1/evaluations", "deployer", body.formatted("models:/credit-risk/1"));
        assertThat(own.body()).doesNotContain("'secret'").doesNotContain("registered_model 'credit-risk'");
        assertThat(own.status()).isNotEqualTo(201);
    }

    @Test
    void theListingAndMetricsShowTheDeploymentsTheCallerMayRead() {
        assertThat(names(as("GET", "/api/v1/deployments", "viewer", null))).containsExactly("web");
        assertThat(names(as("GET", "/api/v1/deployments", "admin", null))).contains("web", "hidden", "canary");

        String viewer = as("GET", "/metrics", "viewer", null).body();
        assertThat(viewer).contains("deployment=\"web\"").doesNotContain("deployment=\"hidden\"").doesNotContain("deployment=\"canary\"");
        assertThat(viewer).contains("# TYPE");
        assertThat(as("GET", "/metrics", "admin", null).body()).contains("deployment=\"web\"").contains("deployment=\"hidden\"");
    }

    @Test
    void aDeletedDeploymentsGrantsAreGoneWhenOneOfItsNameComesBack() {
        assertThat(deploy("doomed", "admin", one("models:/credit-risk/1")).status()).isEqualTo(200);
        running.store().auth().putGrant(new Grant(ResourceKind.DEPLOYMENT, "doomed", Grantee.user("viewer"), Permission.READ));
        assertThat(as("GET", "/api/v1/deployments/doomed", "viewer", null).status()).isEqualTo(200);
        assertThat(as("DELETE", "/api/v1/deployments/doomed", "admin", null).status()).isEqualTo(200);
        assertThat(running.store().auth().grants(ResourceKind.DEPLOYMENT, "doomed")).isEmpty();
        assertThat(deploy("doomed", "admin", one("models:/credit-risk/1")).status()).isEqualTo(200);
        assertThat(as("GET", "/api/v1/deployments/doomed", "viewer", null).status()).isEqualTo(403);
    }

    private static String one(String model) {
        return "{\"targets\": [{\"model\": \"" + model + "\", \"weight\": 100}]}";
    }

    private Http.Response deploy(String name, String user, String body) {
        return as("PUT", "/api/v1/deployments/" + name, user, body);
    }

    private Http.Response as(String method, String path, String user, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(running.url() + path))
                .header("Authorization", "Bearer " + tokens.get(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        return http.send(request);
    }

    private static List<String> names(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        response.json().get("deployments").forEach(d -> out.add(d.get("name").asText()));
        return out;
    }
}

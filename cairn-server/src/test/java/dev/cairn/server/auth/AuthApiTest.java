package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The admin API under /api/v1/auth, on a server with authentication on (see {@link AuthFixture} for the roles). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private AuthFixture fixture;
    private String admin;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
        admin = fixture.authorization("admin");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void anAdminCreatesAUserWhoThenLogsInAndChangesTheirOwnPassword() throws Exception {
        HttpResponse<String> created = fixture.send("POST", "/api/v1/auth/users", admin,
                "{\"name\":\"alice\",\"password\":\"alice-secret-1\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"name\":\"alice\"").doesNotContain("alice-secret-1");
        HttpResponse<String> me = fixture.get("/api/v1/auth/me", AuthFixture.basic("alice", "alice-secret-1"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).path("name").asText()).isEqualTo("alice");
        assertThat(json(me).path("admin").asBoolean()).isFalse();

        assertThat(fixture.send("PUT", "/api/v1/auth/me/password", AuthFixture.basic("alice", "alice-secret-1"),
                "{\"password\":\"alice-secret-2\"}").statusCode()).isEqualTo(204);
        assertThat(fixture.get("/api/v1/auth/me", AuthFixture.basic("alice", "alice-secret-1")).statusCode()).isEqualTo(401);
        assertThat(fixture.get("/api/v1/auth/me", AuthFixture.basic("alice", "alice-secret-2")).statusCode()).isEqualTo(200);

        assertThat(fixture.send("POST", "/api/v1/auth/users", fixture.authorization("manager"),
                "{\"name\":\"mallory\",\"password\":\"mallory-pass\"}").statusCode()).isEqualTo(403);
        assertThat(fixture.send("DELETE", "/api/v1/auth/users/alice", admin, null).statusCode()).isEqualTo(204);
        assertThat(fixture.get("/api/v1/auth/me", AuthFixture.basic("alice", "alice-secret-2")).statusCode()).isEqualTo(401);
    }

    @Test
    void badInputIsA400NamingTheFieldAndNeverEchoesAPassword() throws Exception {
        HttpResponse<String> noPassword = fixture.send("POST", "/api/v1/auth/users", admin, "{\"name\":\"bob\"}");
        assertThat(noPassword.statusCode()).isEqualTo(400);
        assertThat(noPassword.body()).contains("password");
        HttpResponse<String> tooShort = fixture.send("POST", "/api/v1/auth/users", admin, "{\"name\":\"bob\",\"password\":\"short7!\"}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("password").doesNotContain("short7!");
        HttpResponse<String> badScope = fixture.send("POST", "/api/v1/auth/tokens", fixture.authorization("editor"), "{\"scope\":\"ALL\"}");
        assertThat(badScope.statusCode()).isEqualTo(400);
        assertThat(badScope.body()).contains("scope");
        HttpResponse<String> badPermission = fixture.send("PUT", "/api/v1/auth/registered-models/shared/grants/users/other", admin,
                "{\"permission\":\"OWNER\"}");
        assertThat(badPermission.statusCode()).isEqualTo(400);
        assertThat(badPermission.body()).contains("permission");
        HttpResponse<String> colon = fixture.send("POST", "/api/v1/auth/users", admin, "{\"name\":\"a:b\",\"password\":\"long enough 1\"}");
        assertThat(colon.statusCode()).isEqualTo(400);
        assertThat(colon.body()).contains("name");
        HttpResponse<String> lastAdmin = fixture.send("DELETE", "/api/v1/auth/users/admin", admin, null);
        assertThat(lastAdmin.statusCode()).isEqualTo(400);
        assertThat(lastAdmin.body()).contains("last admin");
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndRevokedAtOnce() throws Exception {
        String editor = fixture.authorization("editor");
        HttpResponse<String> created = fixture.send("POST", "/api/v1/auth/tokens", editor,
                "{\"description\":\"ci\",\"scope\":\"READ\",\"expires_in_days\":30}");
        assertThat(created.statusCode()).isEqualTo(201);
        String token = json(created).path("token").asText();
        String id = json(created).path("id").asText();
        assertThat(token).startsWith("cairn_" + id + "_");
        assertThat(json(created).path("expires_at").asText()).isNotBlank();

        HttpResponse<String> listed = fixture.get("/api/v1/auth/tokens", editor);
        assertThat(listed.statusCode()).isEqualTo(200);
        // The secret is what follows the id (it may itself contain '_', base64url's 63rd character).
        assertThat(listed.body()).contains(id).doesNotContain(token.substring(("cairn_" + id + "_").length()));

        String experiment = "/api/v1/experiments/" + fixture.experimentId;
        assertThat(fixture.get(experiment, "Bearer " + token).statusCode()).isEqualTo(200);
        // Its scope is READ, whatever its owner may do.
        assertThat(fixture.send("PATCH", experiment, "Bearer " + token, "{\"new_name\":\"renamed\"}").statusCode()).isEqualTo(403);
        // A READ token cannot make itself a stronger one.
        assertThat(fixture.send("POST", "/api/v1/auth/tokens", "Bearer " + token, "{\"scope\":\"MANAGE\"}").statusCode()).isEqualTo(403);
        // Another user may neither list nor revoke it; its owner may.
        assertThat(fixture.get("/api/v1/auth/tokens?account=editor", fixture.authorization("manager")).statusCode()).isEqualTo(403);
        assertThat(fixture.send("DELETE", "/api/v1/auth/tokens/" + id, fixture.authorization("manager"), null).statusCode()).isEqualTo(403);
        assertThat(fixture.send("DELETE", "/api/v1/auth/tokens/" + id, editor, null).statusCode()).isEqualTo(200);
        // Verified a moment ago (and so cached), refused with the very next request.
        assertThat(fixture.get(experiment, "Bearer " + token).statusCode()).isEqualTo(401);
    }

    @Test
    void anAdminMakesServiceAccountTokens() throws Exception {
        assertThat(fixture.send("POST", "/api/v1/auth/service-accounts", admin, "{\"name\":\"scorer\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> created = fixture.send("POST", "/api/v1/auth/tokens", admin, "{\"account\":\"scorer\",\"scope\":\"INVOKE\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> me = fixture.get("/api/v1/auth/me", "Bearer " + json(created).path("token").asText());
        assertThat(json(me).path("kind").asText()).isEqualTo("service_account");
        assertThat(json(me).path("scope").asText()).isEqualTo("INVOKE");
        assertThat(fixture.send("POST", "/api/v1/auth/tokens", fixture.authorization("editor"), "{\"account\":\"scorer\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void groupMembershipGivesTheGroupsGrantAndLosingItTakesEffectAtOnce() throws Exception {
        // "other" may not read the shared model until its new group is granted READ.
        String model = "/api/v1/registered-models/" + AuthFixture.SHARED;
        String other = fixture.authorization("other");
        fixture.send("POST", "/api/v1/registered-models", admin, "{\"name\":\"" + AuthFixture.SHARED + "\"}");
        assertThat(fixture.get(model, other).statusCode()).isEqualTo(403);
        assertThat(fixture.send("POST", "/api/v1/auth/groups", admin, "{\"name\":\"auditors\"}").statusCode()).isEqualTo(201);
        assertThat(fixture.send("PUT", "/api/v1/auth/groups/auditors/members/other", admin, null).statusCode()).isEqualTo(200);
        HttpResponse<String> grant = fixture.send("POST", "/api/v1/auth/registered-models/shared/grants", admin,
                "{\"group\":\"auditors\",\"permission\":\"READ\"}");
        assertThat(grant.statusCode()).isEqualTo(201);
        assertThat(fixture.get(model, other).statusCode()).isEqualTo(200);
        assertThat(fixture.send("DELETE", "/api/v1/auth/groups/auditors/members/other", admin, null).statusCode()).isEqualTo(200);
        assertThat(fixture.get(model, other).statusCode()).isEqualTo(403);
        assertThat(fixture.send("DELETE", "/api/v1/auth/groups/auditors", admin, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aManagerSharesTheResourceTheyManageAndNoOther() throws Exception {
        fixture.resetGrants();
        String manager = fixture.authorization("manager");
        String grants = "/api/v1/auth/experiments/" + fixture.experimentId + "/grants";
        String experiment = "/api/v1/experiments/" + fixture.experimentId;
        assertThat(fixture.get(experiment, fixture.authorization("other")).statusCode()).isEqualTo(403);
        assertThat(fixture.send("PUT", grants + "/users/other", manager, "{\"permission\":\"READ\"}").statusCode()).isEqualTo(200);
        assertThat(fixture.get(experiment, fixture.authorization("other")).statusCode()).isEqualTo(200);
        HttpResponse<String> one = fixture.get(grants + "/users/other", manager);
        assertThat(json(one).path("permission").asText()).isEqualTo("READ");
        assertThat(fixture.send("POST", grants, manager, "{\"user\":\"other\",\"permission\":\"EDIT\"}").statusCode()).isEqualTo(400);
        assertThat(fixture.send("PATCH", grants + "/users/other", manager, "{\"permission\":\"EDIT\"}").statusCode()).isEqualTo(200);
        assertThat(fixture.get(grants, manager).body()).contains("\"grantee\":\"other\"").contains("\"permission\":\"EDIT\"");
        assertThat(fixture.send("DELETE", grants + "/users/other", manager, null).statusCode()).isEqualTo(204);
        assertThat(fixture.get(experiment, fixture.authorization("other")).statusCode()).isEqualTo(403);
        assertThat(fixture.send("DELETE", grants + "/users/other", manager, null).statusCode()).isEqualTo(404);
        // An editor may change the experiment but not share it.
        assertThat(fixture.send("PUT", grants + "/users/other", fixture.authorization("editor"), "{\"permission\":\"READ\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void theRoutesAreInTheOpenApiDocument() throws Exception {
        JsonNode paths = json(fixture.get("/api/v1/openapi.json", null)).path("paths");
        assertThat(paths.has("/api/v1/auth/users")).isTrue();
        assertThat(paths.has("/api/v1/auth/tokens/{token_id}")).isTrue();
        assertThat(paths.has("/api/v1/auth/deployments/{name}/grants/{grantee_kind}/{grantee}")).isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}

package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.auth.Permission;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that every route is guarded as it declares: generated from the server's own route table (not a hand
 * list), each route is called by every role and must answer 401 (no credentials, non-public route), 403 (not
 * allowed) or something that is neither (allowed: 2xx, or a 4xx about the request itself). The requests name the
 * shared resources in every place a route may look (path, query, body fields), except the pipeline runs, which
 * name an id that does not exist: there the caller is judged by the default permission (NO_PERMISSIONS), so a
 * guessed id is refused to everyone but an admin, exactly as an existing one they may not read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAccessMatrixTest {

    private AuthFixture fixture;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void everyRouteAnswersEveryRoleAsItsDeclarationSays() {
        List<RouteAccess> routes = fixture.running.server().declaredRoutes();
        assertThat(routes).hasSizeGreaterThan(200);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (RouteAccess route : routes) {
            for (String role : AuthFixture.ROLES) {
                Expected expected = expected(route, role);
                fixture.resetGrants();
                HttpResponse<String> response;
                try {
                    response = fixture.send(route.method().name(), request(route), fixture.authorization(role), body());
                } catch (UncheckedIOException e) {
                    // Named with its route and role, and the rest still checked: a connection failure is a finding too.
                    wrong.add(route.method() + " " + route.path() + " as " + role + ": no answer (" + e.getCause() + ")");
                    checked++;
                    continue;
                }
                int status = response.statusCode();
                boolean ok = switch (expected) {
                    case UNAUTHENTICATED -> status == 401;
                    case DENIED -> status == 403;
                    // Allowed past access control: a 403 may still come from the handler itself (the web UI's forms refuse a
                    // request without their CSRF token with an HTML 403), but never access control's JSON PERMISSION_DENIED.
                    case ALLOWED -> status != 401 && status != 500 && !(status == 403 && response.body().startsWith("{")
                            && response.body().contains("\"PERMISSION_DENIED\""));
                };
                if (!ok) wrong.add(route.method() + " " + route.path() + " as " + role + ": expected " + expected + ", got " + status
                        + " " + abbreviate(response.body()));
                checked++;
            }
        }
        assertThat(wrong).as("routes answering a role against their declaration").isEmpty();
        assertThat(checked).isEqualTo(routes.size() * AuthFixture.ROLES.size());
    }

    enum Expected { UNAUTHENTICATED, DENIED, ALLOWED }

    private static Expected expected(RouteAccess route, String role) {
        Access access = route.access();
        if (access instanceof Access.Public) return Expected.ALLOWED;
        if (role.equals("anonymous")) return Expected.UNAUTHENTICATED;
        return switch (access) {
            case Access.Public p -> Expected.ALLOWED;
            case Access.Authenticated a -> Expected.ALLOWED;
            case Access.Admin a -> role.equals("admin") ? Expected.ALLOWED : Expected.DENIED;
            case Access.OnResource r -> onResource(route, role, r);
            // The fixture's requests name a resource of the first option (the uri parameter is a models:/ URI).
            case Access.FirstFound f -> onResource(route, role, f.options().get(0));
        };
    }

    private static Expected onResource(RouteAccess route, String role, Access.OnResource r) {
        if (role.equals("admin")) return Expected.ALLOWED;
        Permission held = namesUnknownResource(route) ? Permission.NO_PERMISSIONS : AuthFixture.permissionOf(role);
        return held.allows(r.level()) ? Expected.ALLOWED : Expected.DENIED;
    }

    /** The pipeline-run routes name a run id that does not exist (see the class comment). */
    private static boolean namesUnknownResource(RouteAccess route) {
        return route.path().startsWith("/api/v1/pipelines/runs/") || route.path().startsWith("/ui/pipelines/runs/");
    }

    private String request(RouteAccess route) {
        // The web UI's pages name their resource {id}: an experiment, a run or a pipeline run by the page.
        String id = route.path().startsWith("/ui/experiments/") ? fixture.experimentId
                : route.path().startsWith("/ui/runs/") ? fixture.runId : "no-such-pipeline-run";
        String path = route.path()
                .replace("{id}", id)
                .replace("{experiment_id}", fixture.experimentId)
                .replace("{run_id}", namesUnknownResource(route) ? "no-such-pipeline-run" : fixture.runId)
                .replace("{experiment_name}", AuthFixture.EXPERIMENT_NAME)
                .replace("{name}", AuthFixture.SHARED)
                .replace("{version}", "1")
                .replace("{alias}", "champion")
                .replace("{request_id}", "1")
                .replace("<experiment_name>", AuthFixture.EXPERIMENT_NAME)
                .replace("<key>", "k")
                .replace("{token_id}", "no-such-token")
                .replace("{member}", "nobody")
                .replace("{grantee_kind}", "users")
                .replace("{grantee}", "editor")
                .replace("<path>", fixture.experimentId + "/" + fixture.runId + "/artifacts/f.txt");
        assertThat(path).as("every path parameter of %s is filled", route.path()).doesNotContain("{").doesNotContain("<");
        return path + "?experiment_id=" + fixture.experimentId + "&run_id=" + fixture.runId + "&run=" + fixture.runId + "&name=" + AuthFixture.SHARED
                + "&experiment_name=" + AuthFixture.EXPERIMENT_NAME + "&deployment=" + AuthFixture.SHARED
                + "&path=" + encode(fixture.experimentId + "/" + fixture.runId + "/artifacts") + "&uri=" + encode("models:/shared/1");
    }

    private String body() {
        return "{\"experiment_id\":\"" + fixture.experimentId + "\",\"experiment_ids\":[\"" + fixture.experimentId + "\"],"
                + "\"run_id\":\"" + fixture.runId + "\",\"name\":\"" + AuthFixture.SHARED + "\",\"experiment_name\":\""
                + AuthFixture.EXPERIMENT_NAME + "\",\"experiment\":\"" + AuthFixture.EXPERIMENT_NAME + "\",\"registered_model\":\""
                + AuthFixture.SHARED + "\"}";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}

package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants live in the store and outlive a server started without {@code --auth}: a resource deleted or renamed through
 * such a server must take its grants along, or a later {@code --auth} server would hand them to a new resource that
 * happens to get the old name.
 */
class GrantsWithoutAuthTest {

    @TempDir
    Path dir;

    private ServerMain.RunningServer running;
    private Http http;

    @BeforeEach
    void start() {
        running = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toString(),
                "127.0.0.1", 0), Clock.systemUTC(), false);
        http = new Http(running.url());
        // The account a grant names, made as an admin would before the server ran without --auth.
        running.store().auth().createAccount("viewer", Account.Kind.USER, null, false);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void aModelDeletedWithoutAuthTakesItsGrantsAlong() {
        assertThat(http.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"doomed\"}").status()).isEqualTo(200);
        running.store().auth().putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "doomed", Grantee.user("viewer"), Permission.READ));

        assertThat(http.send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\": \"doomed\"}", null).status()).isEqualTo(200);

        assertThat(running.store().auth().grants(ResourceKind.REGISTERED_MODEL, "doomed")).isEmpty();
    }

    @Test
    void aModelRenamedWithoutAuthKeepsItsGrantsUnderTheNewName() {
        assertThat(http.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"before\"}").status()).isEqualTo(200);
        Grant grant = new Grant(ResourceKind.REGISTERED_MODEL, "before", Grantee.user("viewer"), Permission.READ);
        running.store().auth().putGrant(grant);

        assertThat(http.post("/api/2.0/mlflow/registered-models/rename", "{\"name\": \"before\", \"new_name\": \"after\"}").status())
                .isEqualTo(200);

        assertThat(running.store().auth().grants(ResourceKind.REGISTERED_MODEL, "before")).isEmpty();
        assertThat(running.store().auth().grants(ResourceKind.REGISTERED_MODEL, "after"))
                .containsExactly(new Grant(ResourceKind.REGISTERED_MODEL, "after", Grantee.user("viewer"), Permission.READ));
    }
}

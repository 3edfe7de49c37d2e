package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the full server, serving checks MLflow's deletions for models a deployment serves before their handlers run. MLflow's
 * clients send a DELETE's fields as a JSON body: the check must leave that body to the handler (it read the stream
 * itself, and the handler then saw none: "Missing value for required parameter 'name'").
 */
class DeletionGuardBodyTest {

    @Test
    void mlflowDeletesWithAJsonBodyReachTheirHandlers(@TempDir Path dir) {
        try (ServerMain.RunningServer server = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"),
                dir.resolve("artifacts").toUri().toString(), "127.0.0.1", 0), Clock.systemUTC(), false)) {
            Http http = new Http(server.url());
            String mlflow = "/api/2.0/mlflow";
            assertThat(http.post(mlflow + "/registered-models/create", "{\"name\": \"churn\"}").status()).isEqualTo(200);
            server.store().registry().createModelVersion("churn", "models/churn", null, null, List.of(), "test");
            Http.Response deleteVersion = http.send("DELETE", mlflow + "/model-versions/delete", "{\"name\": \"churn\", \"version\": \"1\"}", null);
            assertThat(deleteVersion.status()).as(deleteVersion.body()).isEqualTo(200);
            Http.Response delete = http.send("DELETE", mlflow + "/registered-models/delete", "{\"name\": \"churn\"}", null);
            assertThat(delete.status()).as(delete.body()).isEqualTo(200);
            assertThat(http.get(mlflow + "/registered-models/get?name=churn").status()).isEqualTo(404);
        }
    }
}

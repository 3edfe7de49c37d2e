package dev.cairn.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.Http;
import dev.cairn.server.TestServer;
import dev.cairn.server.serving.Serving;
import dev.cairn.server.serving.ServingConfig;
import io.javalin.event.HandlerMetaInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    /** Every handler the server registers, as Javalin reports it: independent of Cairn's route table. */
    private final List<HandlerMetaInfo> registered = new CopyOnWriteArrayList<>();
    private Serving serving;
    private TestServer server;
    private JsonNode document;

    @BeforeAll
    void start(@TempDir Path dir) {
        ApiRoutes recorder = config -> config.events.handlerAdded(registered::add);
        // Serving's groups as `cairn server` adds them (ServerMain.start), so its /api/v1/deployments routes are checked too.
        serving = new Serving(ServingConfig.defaults(dir.resolve("predictions")).withAliasRefreshInterval(Duration.ZERO), null, null);
        server = TestServer.sqlite(dir, recorder, serving.api(), serving.metricsRoutes());
        Http.Response response = new Http(server.url).get(CairnApi.OPENAPI_PATH);
        assertThat(response.status()).isEqualTo(200);
        document = response.json();
    }

    @AfterAll
    void stop() {
        try {
            server.close();
        } finally {
            serving.close();
        }
    }

    private static String openApiPath(String javalinPath) {
        return javalinPath.replace('<', '{').replace('>', '}');
    }

    @Test
    void everyRegisteredApiV1RouteAppearsInTheDocumentWithItsMethod() {
        Set<String> apiRoutes = new TreeSet<>();
        for (HandlerMetaInfo handler : registered) {
            // Routes only: a before-handler (serving's check that a deleted version is not deployed) is no route.
            if (handler.getHttpMethod().isHttpMethod() && handler.getPath().startsWith(CairnApi.PREFIX + "/")) {
                apiRoutes.add(handler.getHttpMethod().name().toLowerCase(Locale.ROOT) + " " + openApiPath(handler.getPath()));
            }
        }
        assertThat(apiRoutes).hasSizeGreaterThan(40);
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path ->
                path.getValue().propertyStream().forEach(op -> documented.add(op.getKey() + " " + path.getKey())));
        assertThat(documented).containsAll(apiRoutes);
        // ... and the document describes nothing that is not served.
        assertThat(apiRoutes).containsAll(documented);
    }

    @Test
    void theDocumentIsOpenApi31WithASummaryAndResponsesForEveryOperation() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        List<String> incomplete = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode operation = op.getValue();
            if (operation.path("summary").asText().isBlank() || !operation.has("responses")
                    || !operation.path("responses").has("default")) {
                incomplete.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertThat(incomplete).isEmpty();
        List<String> operationIds = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> operationIds.add(op.getValue().path("operationId").asText())));
        assertThat(operationIds).doesNotHaveDuplicates().doesNotContain("");
    }

    @Test
    void pathParametersAreDeclaredForEveryPlaceholder() {
        document.path("paths").properties().forEach(path -> {
            List<String> placeholders = new ArrayList<>();
            var matcher = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (matcher.find()) placeholders.add(matcher.group(1));
            path.getValue().properties().forEach(op -> {
                List<String> declared = new ArrayList<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    if (p.path("in").asText().equals("path")) declared.add(p.path("name").asText());
                }
                assertThat(declared).as(op.getKey() + " " + path.getKey()).containsExactlyElementsOf(placeholders);
            });
        });
    }

    @Test
    void requestAndResponseSchemasComeFromTheRecordsInSnakeCase() {
        JsonNode createRun = document.path("paths").path("/api/v1/runs").path("post");
        String ref = createRun.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText();
        assertThat(ref).isEqualTo("#/components/schemas/CreateRun");
        JsonNode schema = document.path("components").path("schemas").path("CreateRun").path("properties");
        Iterator<String> names = schema.fieldNames();
        List<String> fields = new ArrayList<>();
        names.forEachRemaining(fields::add);
        assertThat(fields).containsExactly("experiment_id", "run_name", "start_time", "tags", "user");
        assertThat(schema.path("start_time").path("type").asText()).isEqualTo("integer");
        assertThat(schema.path("tags").path("type").asText()).isEqualTo("array");
        assertThat(document.path("components").path("schemas").path("Error").path("required"))
                .extracting(JsonNode::asText).containsExactly("error_code", "message", "details");
        Map<String, Object> upload = Map.of("upload", document.path("paths")
                .path("/api/v1/runs/{run_id}/artifacts/{path}").path("put").path("requestBody").path("content").has("application/octet-stream"));
        assertThat(upload).containsEntry("upload", true);
    }
}

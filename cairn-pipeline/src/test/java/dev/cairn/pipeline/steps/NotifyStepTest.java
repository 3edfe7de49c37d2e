package dev.cairn.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Line;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);

    @BeforeAll
    static void openStores() {
        fixture = new StepFixture(dir);
    }

    @BeforeEach
    void open() throws IOException {
        fixture.workspace(Workspace.local(fixture.workspaceDir));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/T000/SECRET", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = status.get() == 204 ? new byte[0] : "busy, try later".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private String webhook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/SECRET";
    }

    @Test
    void theMessageIsLoggedAtItsLevelAndPostedAsJson() throws Exception {
        Attempt a = fixture.attempt(StepType.NOTIFY, "tell",
                Map.of("message", "retrain run-0001: canary promoted", "level", "warning", "webhook", webhook()));
        StepResult result = new NotifyStep().run(a.context());

        assertThat(result.outputs()).isEmpty();
        assertThat(received).hasSize(1);
        String[] request = received.getFirst().split("\n", 2);
        assertThat(request[0]).startsWith("application/json");
        JsonNode body = new ObjectMapper().readTree(request[1]);
        assertThat(body.get("pipeline").asText()).isEqualTo("nightly");
        assertThat(body.get("run_id").asText()).isEqualTo(StepFixture.RUN_ID);
        assertThat(body.get("step").asText()).isEqualTo("tell");
        assertThat(body.get("level").asText()).isEqualTo("warning");
        assertThat(body.get("message").asText()).isEqualTo("retrain run-0001: canary promoted");
        assertThat(body.get("time").asText()).isEqualTo(StepFixture.NOW.toString());
        assertThat(a.sink().log()).contains("WARN retrain run-0001: canary promoted").doesNotContain("SECRET");
    }

    @Test
    void withoutAWebhookTheMessageOnlyGoesToTheLog() throws Exception {
        Attempt a = fixture.attempt(StepType.NOTIFY, "tell", Map.of("message", "validation failed", "level", "error"));
        new NotifyStep().run(a.context());
        Attempt b = fixture.attempt(StepType.NOTIFY, "tell", Map.of("message", "all good"));
        new NotifyStep().run(b.context());

        assertThat(a.sink().log()).isEqualTo("WARN [error] validation failed");
        assertThat(b.sink().log()).isEqualTo("INFO all good");
        assertThat(received).isEmpty();
    }

    @Test
    void aWebhookThatDoesNotAnswer2xxFailsTheAttemptAsTransient() {
        status.set(503);
        Attempt a = fixture.attempt(StepType.NOTIFY, "tell", Map.of("message", "hello", "webhook", webhook()));
        assertThatThrownBy(() -> new NotifyStep().run(a.context()))
                .isInstanceOf(IOException.class).isNotInstanceOf(CairnException.class)
                .hasMessageContaining("steps.tell.with.webhook").hasMessageContaining("503").hasMessageContaining("busy, try later")
                .hasMessageNotContaining("SECRET");
        // The message was logged before the webhook was tried.
        assertThat(a.sink().lines()).contains(new Line("INFO", "hello"));
    }

    @Test
    void onlyHttpWebhooksAreTakenAndErrorsNameTheField() {
        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of(), false));
        for (String url : List.of("ftp://example.com/hook", "file:///etc/passwd", "not a url")) {
            assertThatThrownBy(() -> new NotifyStep().run(fixture.attempt(StepType.NOTIFY, "tell",
                    Map.of("message", "hello", "webhook", url)).context()))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                    .hasMessageContaining("steps.tell.with.webhook").hasMessageContaining("http(s)");
        }
        assertThatThrownBy(() -> new NotifyStep().run(fixture.attempt(StepType.NOTIFY, "tell",
                Map.of("message", "hello", "level", "panic")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tell.with.level");
        assertThat(received).isEmpty();
    }
}

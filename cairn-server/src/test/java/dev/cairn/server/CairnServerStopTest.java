package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnServerStopTest {

    @TempDir
    Path dir;

    @Test
    void stopLetsARequestInFlightFinishBeforeTheServerGoesAway() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ApiRoutes slow = ApiRoutes.of(List.of(new RouteAccess(HandlerType.GET, "/test/slow", Access.open())), config -> {
            config.routes.get("/test/slow", ctx -> {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
                ctx.result("done");
            });
            config.events.serverStopping(stopping::countDown);
        });
        TestServer server = TestServer.sqlite(dir, slow);
        try {
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(server.url + "/test/slow")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server.server::stop);
            assertThat(stopping.await(20, TimeUnit.SECONDS)).isTrue();
            // The server is stopping while the request is still being handled; let it finish now.
            release.countDown();

            HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
            stopped.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("done");
        } finally {
            release.countDown();
            server.close();
        }
    }
}

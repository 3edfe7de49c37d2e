package dev.cairn.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.remote.RemoteMetadataStore;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tracking scenarios through RemoteMetadataStore against a real server")
class RemoteTrackingScenariosTest extends TrackingScenarios {

    @TempDir
    Path dir;

    private LiveServer server;
    private RemoteMetadataStore store;

    @BeforeEach
    void start() {
        server = LiveServer.start(dir);
        store = server.connect("someone-else").metadataStore();
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    @Override
    MetadataStore store() {
        return store;
    }

    @Test
    @DisplayName("a refusal keeps the server's details: field, value and what was expected")
    void detailsComeBack() {
        String exp = store.experiments().createExperiment("details", null, List.of());
        String id = store.runs().createRun(exp, "alice", 1L, null, List.of()).info().runId();
        CairnException e = failure(() -> store.runs().createRun(exp, "alice", -5L, null, List.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.details()).containsEntry("field", "start_time").containsEntry("http_status", 400);
        store.runs().logParam(id, new Param("p", "1"));
        assertThat(store.uri()).isEqualTo(server.url());
    }

    @Test
    @DisplayName("ending a run without an end time keeps the one it has, as the embedded store does")
    void endTimeIsKept() {
        String exp = store.experiments().createExperiment("end", null, List.of());
        String id = store.runs().createRun(exp, "alice", 1L, null, List.of()).info().runId();
        store.runs().updateRun(id, RunStatus.FINISHED, 99L, null);
        RunInfo again = store.runs().updateRun(id, RunStatus.FAILED, null, "renamed");
        assertThat(again.endTime()).isEqualTo(99L);
        assertThat(again.status()).isEqualTo(RunStatus.FAILED);
        assertThat(again.runName()).isEqualTo("renamed");
    }

    @Test
    @DisplayName("a server's URL opens as a store by URI, as sqlite: and postgresql: URIs do")
    void openedByUri() {
        try (MetadataStore byUri = dev.cairn.core.store.Stores.openMetadata(server.url(), "file:/ignored")) {
            assertThat(byUri).isInstanceOf(RemoteMetadataStore.class);
            String exp = byUri.experiments().createExperiment("by-uri", null, List.of());
            assertThat(store.experiments().getExperiment(exp).name()).isEqualTo("by-uri");
        }
    }

    @Test
    @DisplayName("an unreachable server is TEMPORARILY_UNAVAILABLE")
    void unreachable() {
        String url = server.url();
        server.close();
        CairnException e = failure(() -> dev.cairn.client.Cairn.connect(url).metadataStore().experiments().getExperiment("0"));
        assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
        server = LiveServer.start(dir.resolve("again"));
    }
}

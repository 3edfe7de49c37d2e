package dev.cairn.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

    @TempDir
    Path dir;

    private MetadataStore store;
    private ArtifactRepository artifacts;
    private ModelResolver resolver;
    private Run run;

    @BeforeEach
    void open() {
        String root = dir.resolve("artifacts").toUri().toString();
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), root);
        artifacts = Stores.openArtifacts(root);
        resolver = new ModelResolver(store, artifacts);
        String experiment = store.experiments().createExperiment("resolve", null, List.of());
        run = store.runs().createRun(experiment, "alice", 1L, "r", List.of());
        store.registry().createRegisteredModel("scorer", null, List.of(), "alice");
        store.registry().createModelVersion("scorer", "runs:/" + run.info().runId() + "/model", run.info().runId(), null, List.of(), "alice");
        store.registry().createModelVersion("scorer", "s3://bucket/models/scorer/2", null, null, List.of(), "alice");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aVersionFromARunResolvesToTheRunsArtifactDirectory() {
        ModelResolver.ResolvedModel resolved = resolver.resolve("models:/scorer/1");
        assertThat(resolved.version().version()).isEqualTo(1);
        assertThat(resolved.storageLocation()).isEqualTo(run.info().artifactUri() + "/model");
    }

    @Test
    void anAliasResolvesToTheVersionItPointsAt() {
        store.registry().setAlias("scorer", "champion", 2, "alice", null);
        ModelResolver.ResolvedModel resolved = resolver.resolve("models:/scorer@champion");
        assertThat(resolved.version().version()).isEqualTo(2);
        assertThat(resolved.storageLocation()).isEqualTo("s3://bucket/models/scorer/2");
    }

    @Test
    void runUrisAndPlainLocationsResolveWithoutAVersion() {
        assertThat(resolver.resolve("runs:/" + run.info().runId() + "/model").storageLocation())
                .isEqualTo(run.info().artifactUri() + "/model");
        ModelResolver.ResolvedModel plain = resolver.resolve("file:/opt/models/x");
        assertThat(plain.version()).isNull();
        assertThat(plain.storageLocation()).isEqualTo("file:/opt/models/x");
    }

    @Test
    void unknownVersionsAndAliasesAreNotFound() {
        assertThatThrownBy(() -> resolver.resolve("models:/scorer/9"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> resolver.resolve("models:/scorer@nobody"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void aVersionWhoseSourceIsAnAliasPointingBackAtItIsACycleNotAStackOverflow() {
        store.registry().createModelVersion("scorer", "models:/scorer@loop", null, null, List.of(), "alice");
        store.registry().setAlias("scorer", "loop", 3, "alice", null);
        assertThatThrownBy(() -> resolver.resolve("models:/scorer/3"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
    }

    @Test
    void theResolvedModelsFilesAreReadThroughTheServersArtifactRoot() throws IOException {
        ArtifactRepository runArtifacts = new ArtifactLocations(artifacts).open(run.info().artifactUri());
        runArtifacts.put("model/model.yaml", new ByteArrayInputStream("format: linear\n".getBytes()));
        ArtifactRepository model = resolver.open(resolver.resolve("models:/scorer/1"));
        try (InputStream in = model.open("model.yaml")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("format: linear\n");
        }
    }

    @Test
    void fileUrisNameTheSameDirectoryWhicheverWayTheyAreWritten() {
        ArtifactLocations locations = new ArtifactLocations(artifacts);
        String root = dir.resolve("artifacts").toAbsolutePath().toString();
        assertThat(locations.relativeToRoot("file://" + root + "/1/run/artifacts")).contains("1/run/artifacts");
        assertThat(locations.relativeToRoot("file:" + root + "/1/run/artifacts/")).contains("1/run/artifacts");
        assertThat(locations.relativeToRoot(root + "/1")).contains("1");
        assertThat(locations.relativeToRoot("s3://elsewhere/x")).isEmpty();
        assertThat(locations.relativeToRoot("file:/somewhere/else")).isEmpty();
    }
}

package dev.cairn.server.ui;

import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.serving.DeploymentSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A real {@code cairn server} (port 0, SQLite and artifacts in a temporary directory, no background jobs) holding a
 * small credit-risk story made through the same services the API calls: an experiment of tuning runs with per-round
 * histories, a parent run with its trials, an HTML report artifact, two registered versions with {@code champion}
 * set (and audited with a reason), and one finished pipeline run.
 */
final class UiFixture implements AutoCloseable {

    static final String PIPELINE = """
            name: profile-sales
            description: Reads the sales file and profiles it.
            steps:
              - id: read
                type: read
                with: {source: sales.csv}
              - id: profile
                type: profile
                needs: read
                with: {data: "${steps.read.outputs.table}"}
            """;

    final ServerMain.RunningServer server;
    final String experimentId;
    final List<String> trialIds = new ArrayList<>();
    final String parentId;
    final String pipelineRunId;

    UiFixture(Path dir) throws Exception {
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("profile-sales.yaml"), PIPELINE);
        StringBuilder csv = new StringBuilder("id,amount,channel\n");
        for (int i = 0; i < 100; i++) csv.append(i).append(',').append(10 + i % 37).append(',').append(i % 3 == 0 ? "online" : "store").append('\n');
        Files.writeString(pipelines.resolve("sales.csv"), csv);
        server = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0, pipelines.toString(), List.of(), false), Clock.systemUTC(), false);
        MetadataStore store = server.store();
        experimentId = store.experiments().createExperiment("credit-risk", null, List.of(new Tag("team", "risk")));
        long t0 = 1_767_225_600_000L;
        parentId = store.runs().createRun(experimentId, "ada", t0, "tuning", List.of()).info().runId();
        Random random = new Random(7);
        int[] depths = {3, 6, 9};
        for (int i = 0; i < depths.length; i++) {
            String id = store.runs().createRun(experimentId, "ada", t0 + 1000L * (i + 1), "trial-depth-" + depths[i],
                    List.of(new Tag(SystemTags.PARENT_RUN_ID, parentId))).info().runId();
            trialIds.add(id);
            List<Metric> rounds = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                double loss = 0.7 * Math.exp(-step / (60.0 + 20 * i)) + 0.2 + random.nextGaussian() * 0.005;
                rounds.add(new Metric("logloss", loss, t0 + step, step));
            }
            for (int from = 0; from < rounds.size(); from += 900) {
                store.runs().logBatch(id, rounds.subList(from, Math.min(rounds.size(), from + 900)), List.of(), List.of());
            }
            store.runs().logBatch(id, List.of(new Metric("roc_auc", 0.70 + 0.04 * i, t0, 0)),
                    List.of(new Param("max_depth", Integer.toString(depths[i])), new Param("eta", "0.1")), List.of(new Tag("stage", "tuning")));
            store.runs().logInputs(id, List.of(new DatasetInput(new Dataset("credit-g", "9f2c4e1a", "local", "{\"uri\": \"credit-g.csv\"}", null, null),
                    List.of(new Tag("mlflow.data.context", "training")))));
            store.runs().updateRun(id, RunStatus.FINISHED, t0 + 60_000, null);
        }
        String best = trialIds.getLast();
        var root = dev.cairn.core.store.Stores.openArtifacts(dir.resolve("artifacts").toUri().toString());
        var runArtifacts = new dev.cairn.server.tracking.ArtifactLocations(root).open(store.runs().getRun(best).info().artifactUri());
        runArtifacts.put("evaluation/report.html", new ByteArrayInputStream(
                "<html><body><h1 id=\"verdict\">Verdict: blessed</h1><script>document.title='ran'</script></body></html>".getBytes(StandardCharsets.UTF_8)));
        runArtifacts.put("evaluation/metrics.json", new ByteArrayInputStream("{\"roc_auc\": 0.78}".getBytes(StandardCharsets.UTF_8)));

        // Model sources must lie in the artifact store (the server deploys nothing from elsewhere).
        store.registry().createRegisteredModel("credit-risk", "Scores credit applicants", List.of(), "ada");
        store.registry().createModelVersion("credit-risk", TinyCreditModel.write(dir.resolve("artifacts/packages/v1"), 4).toString(),
                trialIds.getFirst(), null, List.of(), "ada");
        store.registry().createModelVersion("credit-risk", TinyCreditModel.write(dir.resolve("artifacts/packages/v2"), 8).toString(),
                best, null, List.of(), "ada");
        store.registry().setAlias("credit-risk", "champion", 2, "grace", "blessed: precision 0.71 >= 0.6");
        server.serving().deployments().apply(new DeploymentSpec("credit", List.of(new DeploymentSpec.Target("models:/credit-risk/1", 90),
                new DeploymentSpec.Target("models:/credit-risk/2", 10)), null, null, null), "ada", "canary of v2");

        PipelineDefinition definition = server.pipelines().store().getPipeline("profile-sales").orElseThrow();
        PipelineRun run = server.pipelines().start(definition, new RunRequest("manual", "UI test", Map.of(), null, null, "ada", null));
        pipelineRunId = run.runId();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!server.pipelines().store().getRun(pipelineRunId).state().terminal()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("pipeline run " + pipelineRunId + " did not end in 2 minutes");
            Thread.sleep(50);
        }
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}

package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.client.Cairn;
import dev.cairn.client.CairnRun;
import dev.cairn.client.ResolvedModel;
import dev.cairn.client.RunOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key flows of the Java SDK against a real server; run once per metadata store (SQLite,
 * PostgreSQL) by the subclasses, which start the server.
 */
abstract class SdkFlowsContract {

    @TempDir
    Path work;

    abstract TestServer server();

    Cairn cairn() {
        return Cairn.builder(server().url).user("alice").workingDirectory(work).build();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, String> tagsOf(Run run) {
        return run.data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    @Test
    void aRunClosedNormallyEndsFinishedWithEverythingItLoggedReadableBack() throws IOException {
        Cairn cairn = cairn();
        String experiment = unique("credit-risk");
        Path model = Files.createDirectories(work.resolve("model"));
        byte[] weights = new byte[3 * 1024 * 1024 + 17]; // several chunks of the streamed copy
        new Random(7).nextBytes(weights);
        Files.write(model.resolve("weights.bin"), weights);
        Files.writeString(model.resolve("model.yaml"), "format: xgboost\n");
        Path report = Files.writeString(work.resolve("report.txt"), "auc 0.81\n");

        String runId;
        try (CairnRun run = cairn.startRun(experiment)) {
            runId = run.runId();
            run.logParam("max_depth", 6);
            run.logParam("eta", 0.3);
            run.logMetric("auc", 0.79);
            run.logMetric("loss", 0.5, 1);
            run.logMetric("loss", 0.3, 2);
            run.logMetric("auc", 0.81, 1);
            run.setTag("team", "risk");
            run.logArtifact(report);
            List<ArtifactInfo> uploaded = run.logArtifact(model, "");
            assertThat(uploaded).extracting(ArtifactInfo::path).containsExactlyInAnyOrder("model/model.yaml", "model/weights.bin");
            run.logInput(new Dataset("loans", "d1g3st", "local", "{\"uri\": \"file:/data/loans.csv\"}", null, null));
        }

        Run run = cairn.getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().endTime()).isNotNull();
        assertThat(run.data().params()).containsExactlyInAnyOrder(new Param("max_depth", "6"), new Param("eta", "0.3"));
        Map<String, Double> latest = run.data().metrics().stream().collect(Collectors.toMap(Metric::key, Metric::value));
        assertThat(latest).containsEntry("auc", 0.81).containsEntry("loss", 0.3);
        assertThat(cairn.getMetricHistory(runId, "loss")).extracting(Metric::step, Metric::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0.5), org.assertj.core.groups.Tuple.tuple(2L, 0.3));
        assertThat(tagsOf(run)).containsEntry("team", "risk");
        assertThat(run.inputs()).singleElement().satisfies(input -> {
            assertThat(input.dataset().name()).isEqualTo("loans");
            assertThat(input.tags()).contains(new Tag(SystemTags.DATASET_CONTEXT, "training"));
        });

        assertThat(cairn.listArtifacts(runId, "")).extracting(ArtifactInfo::path).contains("report.txt", "model");
        assertThat(cairn.listArtifacts(runId, "model")).extracting(ArtifactInfo::path)
                .containsExactlyInAnyOrder("model/model.yaml", "model/weights.bin");
        Path downloaded = cairn.downloadArtifact(runId, "model/weights.bin", work.resolve("back/weights.bin"));
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(weights);
        assertThat(cairn.readArtifact(runId, "report.txt")).isEqualTo("auc 0.81\n".getBytes());
    }

    @Test
    void startRunCreatesTheExperimentAndRecordsSystemTags() throws IOException {
        // A git work tree around the working directory: its checked-out commit is recorded.
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path git = Files.createDirectories(work.resolve(".git/refs/heads"));
        Files.writeString(work.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), commit + "\n");
        Cairn cairn = Cairn.builder(server().url).user("alice").workingDirectory(work.resolve("sub")).build();
        String experiment = unique("fresh");
        assertThat(cairn.getExperimentByName(experiment)).isEmpty();

        String runId;
        try (CairnRun run = cairn.startRun(experiment, RunOptions.named("first").withSource("com.example.Train"))) {
            runId = run.runId();
            assertThat(run.runName()).isEqualTo("first");
        }
        assertThat(cairn.getExperimentByName(experiment)).isPresent();
        Map<String, String> tags = tagsOf(cairn.getRun(runId));
        assertThat(tags).containsEntry(SystemTags.USER, "alice")
                .containsEntry(SystemTags.SOURCE_NAME, "com.example.Train")
                .containsEntry(SystemTags.GIT_COMMIT, commit)
                .containsKeys(SystemTags.JDK, SystemTags.OS, SystemTags.HOST);
        assertThat(tags.get(SystemTags.JDK)).contains(System.getProperty("java.version").split("\\.")[0]);
        assertThat(cairn.getRun(runId).info().userId()).isEqualTo("alice");
    }

    @Test
    void aRunWhoseBodyThrowsEndsFailedWithTheReasonAndTheExceptionIsRethrown() {
        Cairn cairn = cairn();
        String[] runId = new String[1];
        assertThatThrownBy(() -> cairn.run(unique("failing"), run -> {
            runId[0] = run.runId();
            run.logMetric("auc", 0.5);
            throw new IOException("training data missing");
        })).isInstanceOf(IOException.class).hasMessage("training data missing");

        Run run = cairn.getRun(runId[0]);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(tagsOf(run).get(SystemTags.FAILURE_REASON)).contains("IOException").contains("training data missing");
        assertThat(run.data().metrics()).extracting(Metric::key).containsExactly("auc");
    }

    @Test
    void aRunWhoseBodyReturnsEndsFinished() {
        Cairn cairn = cairn();
        String[] runId = new String[1];
        cairn.run(unique("passing"), run -> {
            runId[0] = run.runId();
            run.logParam("seed", 42);
        });
        assertThat(cairn.getRun(runId[0]).info().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void aFailedSdkCallInsideARunMarksItFailed() {
        Cairn cairn = cairn();
        String runId;
        try (CairnRun run = cairn.startRun(unique("refused"))) {
            runId = run.runId();
            run.logParam("max_depth", 6);
            // A param cannot change once logged: the server refuses, and the run is marked failed.
            assertThatThrownBy(() -> run.logParam("max_depth", 8))
                    .isInstanceOfSatisfying(CairnException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
            assertThat(run.failed()).isTrue();
        }
        Run run = cairn.getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(tagsOf(run)).containsKey(SystemTags.FAILURE_REASON);
        assertThat(run.data().params()).containsExactly(new Param("max_depth", "6"));
    }

    @Test
    void runFailMarksTheRunFailedExplicitly() {
        Cairn cairn = cairn();
        CairnRun run = cairn.startRun(unique("explicit"));
        run.fail(new IllegalArgumentException("bad split"));
        run.close();
        Run stored = cairn.getRun(run.runId());
        assertThat(stored.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(tagsOf(stored).get(SystemTags.FAILURE_REASON)).contains("bad split");
    }

    @Test
    void serverErrorsComeBackAsCairnExceptionsWithTheServersCode() {
        Cairn cairn = cairn();
        assertThatThrownBy(() -> cairn.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(e.getMessage()).contains("0123456789abcdef0123456789abcdef");
                });
        String name = unique("twice");
        cairn.createExperiment(name);
        assertThatThrownBy(() -> cairn.createExperiment(name))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
    }

    @Test
    void runsAreFoundBySearchingWithAFilter() {
        Cairn cairn = cairn();
        String experiment = unique("search");
        for (double auc : new double[] {0.7, 0.85, 0.9}) {
            cairn.run(experiment, run -> run.logMetric("auc", auc));
        }
        String experimentId = cairn.getExperimentByName(experiment).orElseThrow().experimentId();
        var page = cairn.searchRuns(List.of(experimentId), "metrics.auc > 0.8", List.of("metrics.auc DESC"), 10, null);
        assertThat(page.items()).hasSize(2);
        assertThat(page.items().getFirst().data().metrics()).extracting(Metric::value).containsExactly(0.9);
    }

    @Test
    void aModelIsRegisteredFromARunAliasedAndResolvedWithEveryChangeAudited() throws IOException {
        Cairn cairn = cairn();
        Cairn bob = Cairn.builder(server().url).user("bob").workingDirectory(work).build();
        String name = unique("credit-model");
        Path model = Files.createDirectories(work.resolve("model"));
        Files.writeString(model.resolve("model.yaml"), "format: linear\n");
        String runId;
        try (CairnRun run = cairn.startRun(unique("registry"))) {
            runId = run.runId();
            run.logArtifact(model);
        }

        cairn.createRegisteredModel(name, "Credit risk scorer");
        ModelVersion v1 = cairn.createModelVersion(name, "runs:/" + runId + "/model", runId);
        ModelVersion v2 = cairn.createModelVersion(name, "runs:/" + runId + "/model", null);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.runId()).isEqualTo(runId);

        cairn.setAlias(name, "champion", 1, "first model to beat the baseline");
        assertThat(cairn.getModelVersionByAlias(name, "champion").version()).isEqualTo(1);
        bob.setAlias(name, "champion", 2, "better auc on October data");
        assertThat(cairn.getModelVersionByAlias(name, "champion").version()).isEqualTo(2);
        assertThat(cairn.getModelVersion(name, 2).aliases()).contains("champion");

        ResolvedModel resolved = cairn.resolveModel("models:/" + name + "@champion");
        assertThat(resolved.modelVersion().version()).isEqualTo(2);
        String runArtifacts = cairn.getRun(runId).info().artifactUri();
        assertThat(resolved.storageLocation()).isEqualTo(runArtifacts + "/model");
        assertThat(cairn.resolveModel("models:/" + name + "/1").modelVersion().version()).isEqualTo(1);

        cairn.transitionModelVersionStage(name, 1, "Archived", false, "superseded");
        bob.deleteAlias(name, "champion", "rolling back to no champion");
        assertThatThrownBy(() -> cairn.getModelVersionByAlias(name, "champion"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));

        List<AuditEvent> audit = cairn.listAudit(name);
        assertThat(audit).extracting(AuditEvent::action).containsExactly(
                AuditAction.ALIAS_DELETED, AuditAction.STAGE_TRANSITIONED, AuditAction.ALIAS_SET, AuditAction.ALIAS_SET,
                AuditAction.VERSION_CREATED, AuditAction.VERSION_CREATED, AuditAction.MODEL_CREATED);
        Map<AuditAction, List<AuditEvent>> byAction = audit.stream().collect(Collectors.groupingBy(AuditEvent::action));
        AuditEvent moved = byAction.get(AuditAction.ALIAS_SET).getFirst();
        assertThat(moved.actor()).isEqualTo("bob");
        assertThat(moved.comment()).isEqualTo("better auc on October data");
        assertThat(moved.fromValue()).isEqualTo("1");
        assertThat(moved.toValue()).isEqualTo("2");
        assertThat(byAction.get(AuditAction.MODEL_CREATED).getFirst().actor()).isEqualTo("alice");
        assertThat(byAction.get(AuditAction.ALIAS_DELETED).getFirst().comment()).isEqualTo("rolling back to no champion");
        assertThat(cairn.listAudit(null)).extracting(Function.identity()).containsAll(audit);
    }

    @Test
    void aVersionFromARunThatDoesNotExistIsRefused() {
        Cairn cairn = cairn();
        String name = unique("orphan");
        cairn.createRegisteredModel(name);
        assertThatThrownBy(() -> cairn.createModelVersion(name, "runs:/0123456789abcdef0123456789abcdef/model", null))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> cairn.createModelVersion(name, "runs:/0123456789abcdef0123456789abcdef/model",
                "fedcba9876543210fedcba9876543210"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.details()).containsEntry("field", "run_id");
                });
    }

    @Test
    void severalThreadsLogToOneRunAndEveryPointIsKept() throws Exception {
        Cairn cairn = cairn();
        String runId;
        try (CairnRun run = cairn.startRun(unique("parallel"))) {
            runId = run.runId();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int fold = 0; fold < 4; fold++) {
                    int f = fold;
                    futures.add(pool.submit(() -> {
                        for (int step = 0; step < 10; step++) run.logMetric("fold" + f + ".loss", 1.0 / (step + 1), step);
                    }));
                }
                for (var future : futures) future.get();
            }
        }
        Run run = cairn.getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        for (int fold = 0; fold < 4; fold++) {
            assertThat(cairn.getMetricHistory(runId, "fold" + fold + ".loss")).hasSize(10);
        }
    }

    @Test
    void aLongMetricHistoryIsServedInPagesAndTheClientFollowsThem() {
        int points = 30_000; // more than the largest page (RunStore.MAX_HISTORY_RESULTS)
        String experiment = server().store.experiments().createExperiment(unique("long-history"), null, List.of());
        String runId = server().store.runs().createRun(experiment, "alice", 1L, null, List.of()).info().runId();
        for (int from = 0; from < points; from += 1000) {
            List<Metric> batch = new java.util.ArrayList<>();
            for (int step = from; step < from + 1000; step++) batch.add(new Metric("loss", 1.0 / (step + 1), 1_000L + step, step));
            server().store.runs().logBatch(runId, batch, List.of(), List.of());
        }

        // The Java client reads the whole history, page after page.
        List<Metric> all = cairn().getMetricHistory(runId, "loss");
        assertThat(all).hasSize(points);
        assertThat(all.get(points - 1).step()).isEqualTo(points - 1);

        // /api/v1 answers a page of 10,000 by default, with the token of the next.
        Http http = new Http(server().url);
        var first = http.get("/api/v1/runs/" + runId + "/metrics/history?metric_key=loss").json();
        assertThat(first.path("metrics")).hasSize(10_000);
        String token = first.path("next_page_token").asText();
        var second = http.get("/api/v1/runs/" + runId + "/metrics/history?metric_key=loss&max_results=25000&page_token=" + token).json();
        assertThat(second.path("metrics")).hasSize(20_000);
        assertThat(second.path("metrics").get(0).path("step").asLong()).isEqualTo(10_000);
        assertThat(second.has("next_page_token")).isFalse();
        assertThat(http.get("/api/v1/runs/" + runId + "/metrics/history?metric_key=loss&max_results=25001").status()).isEqualTo(400);

        // The MLflow route keeps MLflow's semantics: everything unless the client asks for a page.
        var mlflowAll = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss").json();
        assertThat(mlflowAll.path("metrics")).hasSize(points);
        assertThat(mlflowAll.has("next_page_token")).isFalse();
        var mlflowPage = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=7").json();
        assertThat(mlflowPage.path("metrics")).hasSize(7);
        var mlflowNext = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=7&page_token="
                + mlflowPage.path("next_page_token").asText()).json();
        assertThat(mlflowNext.path("metrics").get(0).path("step").asLong()).isEqualTo(7);
    }

    @Test
    void aNulInAPathSegmentOrQueryValueIsA400() {
        Http http = new Http(server().url);
        for (String path : List.of("/api/v1/experiments/by-name/a%00b", "/api/v1/registered-models/m%00x",
                "/api/v1/registered-models/m%00x/versions/1", "/api/v1/runs/0123456789abcdef%00", "/api/v1/experiments?filter=name%3D%27a%00%27",
                "/api/v1/audit?model_name=a%00b", "/api/2.0/mlflow/registered-models/get?name=a%00b",
                "/api/2.0/mlflow/experiments/get-by-name?experiment_name=a%00b")) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path + " -> " + response.body()).isBetween(400, 404);
        }
        Http.Response filter = http.get("/api/v1/experiments?filter=name%3D%27a%00%27");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.json().path("details").path("field").asText()).isEqualTo("filter");
    }
}

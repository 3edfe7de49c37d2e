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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A real {@code cairn server} (port 0, SQLite and artifacts in a temporary directory, no background jobs) holding a
 * small credit-risk story made through the same services the API calls: an experiment of tuning runs with per-round
 * histories, a parent run with its trials, an HTML report artifact, two registered versions with {@code champion}
 * set (and audited with a reason), and one finished pipeline run.
 * On top of that: an evaluation of version 2 against version 1 (slices and fairness by purpose); a pipeline run that
 * validates, profiles and compares the sales (data results in its steps' runs); three days of customers scored with the
 * champion by a pipeline's score step into the {@value #DEPLOYMENT} deployment's prediction log, the last day older
 * than the training data (age drift, and an alert rule that fires on it), with their labels posted.
 */
final class UiFixture implements AutoCloseable {

    static final String PIPELINE = """
            name: profile-sales
            description: Reads the sales file, validates and profiles it, and compares this week's sales with it.
            steps:
              - id: read
                type: read
                with: {source: sales.csv}
              - id: validate
                type: validate
                needs: read
                with: {data: "${steps.read.outputs.table}", schema: sales-schema.yaml, fail_on: never}
              - id: profile
                type: profile
                needs: read
                with: {data: "${steps.read.outputs.table}"}
              - id: drift
                type: drift
                needs: profile
                with: {reference: "${steps.profile.outputs.profile}", current: sales-week.csv}
            """;

    /** The sales' schema: amounts up to 40 (the file has up to 46: an error) and a mean of at least 30 (a warning). */
    static final String SCHEMA = """
            version: 1
            dataset: sales
            fields:
              - name: id
                type: INTEGER
                nullable: false
              - name: amount
                type: INTEGER
                nullable: false
                min: 10
                max: 40
              - name: channel
                type: STRING
                nullable: false
                domain: [online, store]
            checks:
              - check: row_count
                min: 100
              - check: metric
                name: mean amount at least 30
                metric: mean
                column: amount
                min: 30
                severity: warning
            """;

    /** Scores a day's customers with the champion and logs the scores to the credit deployment's prediction log. */
    static final String SCORING = """
            name: score-customers
            description: Scores a day's customers with the champion, logged for monitoring.
            parameters: {day: "2026-01-01", customers: customers-1.csv}
            triggers:
              - schedule: {cron: "0 2 * * *", timezone: Europe/Berlin}
            steps:
              - id: read
                type: read
                with: {source: "${params.customers}"}
              - id: score
                type: score
                needs: read
                with: {model: "models:/credit-risk@champion", input: "${steps.read.outputs.table}", output: "scores-${params.day}.csv",
                       id: customer_id, deployment: credit, prediction_time: "${params.day}"}
            """;

    /** Fires when the customers' age drifts from the training data. */
    static final String RULES = """
            window: day
            rules:
              - name: age-drift
                metric: drift.age.drifted
                comparison: ">="
                threshold: 1
                description: the customers' ages moved away from the training data
            """;

    /**
     * Customers' profiles as a feature view and a service over it, applied twice (the view's version 2 adds a feature):
     * a model is trained on version 1 of each, and a deployment reads the service.
     */
    static final String FEATURES = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: profiles
                path: profiles.csv
                event_timestamp: updated_at
            feature_views:
              - name: customer_profile
                entities: [customer]
                source: profiles
                features: [age, purpose]
            feature_services:
              - name: credit_features
                features: [customer_profile]
            """;

    /** A pipeline whose one step runs until it is cancelled (a program that sleeps): a run that is really running. */
    static final String WAITING = """
            name: wait-for-data
            description: Waits for data that never comes (a sleeping program), until it is cancelled.
            steps:
              - id: wait
                type: command
                with: {run: [sleep, "180"]}
            """;

    static final String DEPLOYMENT = "credit";
    /** A deployment of the model trained on the features, reading the feature service. */
    static final String FEATURE_DEPLOYMENT = "credit-features";
    /** Customers are scored on three days; on the last they are older than any the model trained on. */
    static final int DAYS = 3;
    static final int CUSTOMERS_PER_DAY = 60;

    final ServerMain.RunningServer server;
    final String experimentId;
    final List<String> trialIds = new ArrayList<>();
    final String parentId;
    final String pipelineRunId;
    final String evaluationRunId;
    final List<String> scoreRunIds = new ArrayList<>();
    /** A customer scored on the last day (its id in the customer_id input). */
    final String scoredCustomer;
    /** The tracking run of the profile-sales run's steps that validated, profiled and compared the sales. */
    final Map<String, String> stepRuns = new java.util.LinkedHashMap<>();
    /** The tracking run trained on version 1 of the customer_profile view and the credit_features service. */
    String featureRunId;

    UiFixture(Path dir) throws Exception {
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("profile-sales.yaml"), PIPELINE);
        StringBuilder csv = new StringBuilder("id,amount,channel\n");
        for (int i = 0; i < 100; i++) csv.append(i).append(',').append(10 + i % 37).append(',').append(i % 3 == 0 ? "online" : "store").append('\n');
        Files.writeString(pipelines.resolve("sales.csv"), csv);
        StringBuilder week = new StringBuilder("id,amount,channel\n");
        for (int i = 0; i < 100; i++) week.append(i).append(',').append(25 + i % 37).append(',').append(i % 5 == 0 ? "store" : "online").append('\n');
        Files.writeString(pipelines.resolve("sales-week.csv"), week);
        Files.writeString(pipelines.resolve("sales-schema.yaml"), SCHEMA);
        Files.writeString(pipelines.resolve("score-customers.yaml"), SCORING);
        Files.writeString(pipelines.resolve("wait-for-data.yaml"), WAITING);
        Random customers = new Random(19);
        for (int day = 1; day <= DAYS; day++) {
            StringBuilder rows = new StringBuilder("customer_id,age,purpose\n");
            for (int i = 0; i < CUSTOMERS_PER_DAY; i++) {
                int age = day == DAYS ? 60 + customers.nextInt(35) : 18 + customers.nextInt(60);
                rows.append("C").append(day).append(String.format("%03d", i)).append(',').append(age).append(',')
                        .append(customers.nextBoolean() ? "car" : "education").append('\n');
            }
            Files.writeString(pipelines.resolve("customers-" + day + ".csv"), rows);
        }
        server = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0, pipelines.toString(), List.of(), true).withOnlineStore("sqlite:" + dir.resolve("online.db")),
                Clock.systemUTC(), false);
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
        // Monitoring compares the versions' inputs with their training data: the profile their runs keep as the reference.
        Path training = TinyCreditModel.writeTrainingCsv(dir.resolve("data/credit-training.csv"));
        String profile = dev.cairn.data.profile.ProfileJson.write(new dev.cairn.data.DataValidation().profile(
                dev.cairn.data.source.FileSource.of(training)));
        for (String runId : List.of(trialIds.getFirst(), best)) {
            new dev.cairn.server.tracking.ArtifactLocations(root).open(store.runs().getRun(runId).info().artifactUri())
                    .put(dev.cairn.train.run.ReferenceData.PROFILE, new ByteArrayInputStream(profile.getBytes(StandardCharsets.UTF_8)));
        }
        store.registry().setAlias("credit-risk", "champion", 1, "ada", "first release");
        evaluationRunId = evaluate(dir.resolve("data/credit-holdout.csv"), store);
        store.registry().setAlias("credit-risk", "champion", 2, "grace", "blessed: precision 0.71 >= 0.6");
        server.serving().deployments().apply(new DeploymentSpec("credit", List.of(new DeploymentSpec.Target("models:/credit-risk/1", 90),
                new DeploymentSpec.Target("models:/credit-risk/2", 10)), null, null, null), "ada", "canary of v2");

        trainOnFeatures(dir, store);

        pipelineRunId = runToEnd("profile-sales", Map.of());
        for (var step : server.pipelines().store().steps(pipelineRunId)) stepRuns.put(step.stepId(), step.trackingRunId());

        // Three days of customers scored with the champion into the credit deployment's log, their labels, an alert rule.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int day = 1; day <= DAYS; day++) {
            String date = today.minusDays(DAYS + 1 - day).toString();
            scoreRunIds.add(runToEnd("score-customers", Map.of("day", date, "customers", "customers-" + day + ".csv")));
        }
        scoredCustomer = "C" + DAYS + "007";
        var monitoring = server.monitoring();
        monitoring.installRules(DEPLOYMENT, RULES);
        List<dev.cairn.monitor.Monitoring.Label> labels = new ArrayList<>();
        Random noise = new Random(23);
        for (int day = 1; day <= DAYS; day++) {
            List<String> lines = Files.readAllLines(pipelines.resolve("customers-" + day + ".csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                boolean good = Integer.parseInt(cells[1]) > 40 ^ noise.nextDouble() < 0.1;
                labels.add(new dev.cairn.monitor.Monitoring.Label(cells[0], good ? "good" : "bad",
                        today.minusDays(DAYS + 1 - day).atTime(12, 0).toInstant(ZoneOffset.UTC)));
            }
        }
        monitoring.postLabels(DEPLOYMENT, labels, "customer_id");
        monitoring.refresh(DEPLOYMENT, dev.cairn.data.source.Progress.NONE);
    }

    /**
     * Applies {@link #FEATURES} (then a version 2 of the view; the service names its views, so it stays at 1), records a run trained on version 1 of both
     * as training does (a dataset input whose digest is the view's SHA-256 cut to 32 digits, the service's tags), registers
     * {@code credit-features} version 1 from it, and deploys that version reading the service.
     */
    private void trainOnFeatures(Path dir, MetadataStore store) throws Exception {
        Path defs = Files.createDirectories(dir.resolve("features"));
        Files.writeString(defs.resolve("profiles.csv"), "customer_id,updated_at,age,purpose,income\nC1001,2026-01-01,30,car,1200\n");
        Files.writeString(defs.resolve("features.yaml"), FEATURES);
        var features = new dev.cairn.features.FeatureStore(store.features(), dev.cairn.features.FeatureStore.unconfined(), name -> null);
        features.apply(defs, "ada");
        var view = store.features().get("customer_profile").orElseThrow();
        var service = store.features().get("credit_features").orElseThrow();
        String featureExperiment = store.experiments().createExperiment("credit-features", null, List.of());
        String runId = store.runs().createRun(featureExperiment, "ada", 1_767_225_700_000L, "train-on-features",
                List.of(new Tag("cairn.features.service", service.name()), new Tag("cairn.features.service.version", "1"),
                        new Tag("cairn.features.views", "customer_profile:1"))).info().runId();
        store.runs().logInputs(runId, List.of(new DatasetInput(new Dataset("customer_profile v1", view.sha256().substring(0, 32), "feature_view",
                "{\"uri\": \"feature_view:customer_profile/1\", \"version\": 1}", null, null), List.of(new Tag("mlflow.data.context", "feature_view")))));
        store.runs().updateRun(runId, RunStatus.FINISHED, 1_767_225_760_000L, null);
        featureRunId = runId;
        store.registry().createRegisteredModel("credit-features", "Scores credit applicants from their profile features", List.of(), "ada");
        store.registry().createModelVersion("credit-features", TinyCreditModel.write(dir.resolve("artifacts/packages/features-v1"), 4).toString(),
                runId, null, List.of(), "ada");
        server.serving().deployments().apply(new DeploymentSpec(FEATURE_DEPLOYMENT, List.of(new DeploymentSpec.Target("models:/credit-features/1", 100)),
                null, null, null, "credit_features"), "ada", "reads the customers' profiles online");
        // Version 2 of the view: nothing is trained on it yet.
        Files.writeString(defs.resolve("features.yaml"), FEATURES.replace("features: [age, purpose]", "features: [age, purpose, income]"));
        features.apply(defs, "ada");
    }

    /** Evaluates version 2 against the champion (version 1) on a seeded holdout: slices and fairness by purpose. */
    private static String evaluate(Path holdout, MetadataStore store) throws Exception {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("age,purpose,class\n");
        for (int i = 0; i < 300; i++) {
            int age = 18 + random.nextInt(60);
            boolean good = age > 40 ^ random.nextDouble() < 0.1;
            csv.append(age).append(',').append(random.nextBoolean() ? "car" : "education").append(',').append(good ? "good" : "bad").append('\n');
        }
        Files.writeString(holdout, csv);
        var spec = dev.cairn.train.evaluation.EvaluationSpec.of("models:/credit-risk/2", holdout, "class").withPositiveClass("bad")
                .withThresholds(List.of("roc_auc>=0.7", "change:roc_auc>=-0.05")).withSlices(List.of("purpose"))
                .withSensitive(List.of("purpose")).withSeed(5);
        return dev.cairn.train.evaluation.Evaluations.evaluate(spec, dev.cairn.train.tracking.Tracking.of(store).as("ada")).runId();
    }

    /** Starts a run of a pipeline with these parameters and waits until it ends; it must succeed. */
    String runToEnd(String pipeline, Map<String, String> parameters) throws InterruptedException {
        PipelineDefinition definition = server.pipelines().store().getPipeline(pipeline).orElseThrow();
        PipelineRun run = server.pipelines().start(definition, new RunRequest("manual", "UI test", parameters, null, null, "ada", null));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        PipelineRun ended;
        while (!(ended = server.pipelines().store().getRun(run.runId())).state().terminal()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("pipeline run " + run.runId() + " did not end in 2 minutes");
            Thread.sleep(50);
        }
        if (ended.state() != dev.cairn.core.pipeline.PipelineRunState.SUCCEEDED) {
            throw new AssertionError(pipeline + " run " + run.runId() + " ended " + ended.state() + ": " + ended.message()
                    + " " + server.pipelines().store().steps(run.runId()));
        }
        return run.runId();
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}

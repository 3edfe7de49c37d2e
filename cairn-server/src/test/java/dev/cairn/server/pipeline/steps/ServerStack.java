package dev.cairn.server.pipeline.steps;

import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.Retry;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.Inference;
import dev.cairn.server.serving.ParsedInput;
import dev.cairn.server.testing.MovableClock;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A full {@code cairn server} ({@link ServerMain#start}: serving, the prediction log, monitoring) over a SQLite store in
 * a temporary directory, with two models trained on seeded customers in it: one on age, amount and purpose, and one
 * that also needs housing (so it fails on requests without it). Tests register their own model names from these runs
 * and build step contexts directly, on a clock they move by hand.
 */
final class ServerStack implements AutoCloseable {
    static final Instant NIGHT = Instant.parse("2026-11-03T02:00:00Z");
    static final List<String> PURPOSES = List.of("car", "tv", "education");

    /** What a step wrote to its log and its lineage. */
    static final class Recorded implements StepContext.Sink {
        final List<String> logs = Collections.synchronizedList(new ArrayList<>());
        final List<String> lineage = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void log(String level, String message) {
            logs.add(level + " " + message);
        }

        @Override
        public void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256) {
            lineage.add(direction + " " + kind + " " + uri);
        }
    }

    /** A step context and what it recorded. */
    record Run(StepContext context, Recorded recorded) {}

    /** One customer: the model's inputs, an id it ignores, and the true class. */
    record Customer(long id, long age, double amount, String purpose, String housing, String label) {
        Map<String, Object> row() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("customer_id", id);
            m.put("age", age);
            m.put("amount", amount);
            m.put("purpose", purpose);
            return m;
        }
    }

    final ServerMain.RunningServer running;
    final Path servingHome;
    final Path workspace;
    final Path scratch;
    final MovableClock clock = new MovableClock(NIGHT);
    final String plainRun;
    final String housingRun;

    private ServerStack(Path dir) throws IOException {
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0).withOnlineStore("sqlite:" + dir.resolve("online.db"));
        running = ServerMain.start(options);
        try {
            servingHome = ServerMain.servingHome(options);
            workspace = Files.createDirectories(dir.resolve("pipelines"));
            scratch = Files.createDirectories(dir.resolve("scratch"));
            Path data = Files.createDirectories(dir.resolve("training"));
            plainRun = train(trainingFile(data.resolve("customers.csv"), 600, 11, false), List.of("customer_id"));
            housingRun = train(trainingFile(data.resolve("customers-housing.csv"), 600, 12, true), List.of("customer_id"));
        } catch (IOException | RuntimeException | Error e) {
            running.close();
            throw e;
        }
    }

    static ServerStack start(Path dir) throws IOException {
        return new ServerStack(dir);
    }

    MetadataStore store() {
        return running.store();
    }

    Deployments deployments() {
        return running.serving().deployments();
    }

    private String train(Path file, List<String> drop) {
        TrainSpec spec = new TrainSpec(file, "class", drop, "xgboost", Map.of("num_boost_round", "15", "max_depth", "3"), null, "bad",
                null, "server-steps", null, Map.of(), null, null);
        return Training.train(spec, Tracking.of(store())).runId();
    }

    /** Registers {@code name} with one version per run, in order, {@code champion} on version 1. */
    String register(String name, String... runIds) {
        store().registry().createRegisteredModel(name, "server steps tests", List.of(), "alice");
        for (String runId : runIds) {
            store().registry().createModelVersion(name, "runs:/" + runId + "/model", runId, null, List.of(), "alice");
        }
        store().registry().setAlias(name, "champion", 1, "alice", null);
        return name;
    }

    /** A customer like the training data; {@code risky} ones are mostly bad (old, large amounts, education). */
    static Customer customer(SplittableRandom r, long id, boolean risky) {
        long age = risky ? 20 + r.nextInt(8) : 20 + r.nextInt(50);
        double amount = Math.rint(Math.max(100, Math.min(20_000, (risky ? 12_000 : 5_000) + 2_000 * gaussian(r))) * 10) / 10;
        double u = r.nextDouble();
        String purpose = risky ? "education" : u < 0.5 ? "car" : u < 0.8 ? "tv" : "education";
        double z = -1.0 + (amount - 5_000) / 2_500 + (age < 30 ? 0.8 : 0) + ("education".equals(purpose) ? 0.7 : 0);
        // A sharp rule (three times the log-odds): a model of a few hundred rows learns it well.
        String label = r.nextDouble() < 1 / (1 + Math.exp(-3 * z)) ? "bad" : "good";
        return new Customer(id, age, amount, purpose, r.nextBoolean() ? "own" : "rent", label);
    }

    /** {@code n} customers as CSV (customer_id, age, amount, purpose[, housing], class). */
    static Path trainingFile(Path file, int n, long seed, boolean housing) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("customer_id,age,amount,purpose," + (housing ? "housing," : "") + "class\n");
        for (int i = 0; i < n; i++) {
            Customer c = customer(r, 100_000 + i, false);
            csv.append(c.id()).append(',').append(c.age()).append(',').append(String.format(Locale.ROOT, "%.1f", c.amount()))
                    .append(',').append(c.purpose()).append(',').append(housing ? c.housing() + "," : "").append(c.label()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        return file;
    }

    /** Customers to score (customer_id, age, amount, purpose); the row at {@code badRow} (0-based), if any, has an unknown purpose. */
    static Path scoringFile(Path file, int n, long seed, int badRow) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("customer_id,age,amount,purpose\n");
        for (int i = 0; i < n; i++) {
            Customer c = customer(r, 1 + i, false);
            csv.append(c.id()).append(',').append(c.age()).append(',').append(String.format(Locale.ROOT, "%.1f", c.amount()))
                    .append(',').append(i == badRow ? "boat" : c.purpose()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        return file;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A context for one attempt of step {@code id}, as the engine builds it, on this stack's clock and confined workspace. */
    Run context(StepType type, String id, Map<String, Object> with, Duration timeout, BooleanSupplier cancelled) throws IOException {
        Step step = new Step(id, type, null, List.of(), with, null, Retry.NONE, timeout, false, List.of(), 1);
        StepContext.RunInfo info = new StepContext.RunInfo("nightly", "run-" + id, NIGHT, "schedule", null, null, "alice");
        Workspace confined = new Workspace(workspace, true, List.of(), List.of(), false);
        PipelineServices services = new PipelineServices(Tracking.of(store()).as("alice"),
                new Snapshots(Stores.openArtifacts(scratch.getParent().resolve("snapshots").toString())), confined, clock, name -> null,
                scratch);
        Recorded recorded = new Recorded();
        Path workDir = Files.createTempDirectory(scratch, id + "-");
        return new Run(new StepContext(info, step, with, null, 1, services, workDir, recorded, cancelled), recorded);
    }

    Run context(StepType type, String id, Map<String, Object> with) throws IOException {
        return context(type, id, with, null, null);
    }

    /** One live request of {@code customer} to the deployment, logged at the clock's time. */
    Inference.Answer predict(String deployment, Customer customer, String requestId) {
        Deployment d = deployments().get(deployment);
        return running.serving().inference().infer(d, ParsedInput.named(List.of(customer.row())), null, false, "test", requestId,
                clock.instant());
    }

    /** The weight of {@code target} in the deployment, or -1 when it has no such route. */
    int weight(String deployment, String target) {
        Deployment d = deployments().find(deployment);
        if (d == null) return -1;
        for (Deployment.Route r : d.routes()) if (r.target().equals(target)) return r.weight();
        return -1;
    }

    /** The registry's audit events of {@code model} of one action, oldest first. */
    List<AuditEvent> audit(String model, AuditAction action) {
        List<AuditEvent> out = new ArrayList<>(store().registry().listAuditEvents(model, 1000, null).items().stream()
                .filter(e -> e.action() == action).toList());
        Collections.reverse(out);
        return out;
    }

    @Override
    public void close() {
        running.close();
    }
}

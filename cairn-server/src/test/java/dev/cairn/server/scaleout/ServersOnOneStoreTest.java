package dev.cairn.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Tag;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.pipeline.scheduler.PipelineScheduler;
import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.AdminBootstrap;
import dev.cairn.server.testing.MovableClock;
import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three {@code cairn server}s on one PostgreSQL (embedded) and one S3 (s3proxy in this JVM), sharing one directory
 * ({@code --shared-dir}): no registry change made through any of them is lost, a moved alias and changed weights are
 * served by all within a bounded delay while requests keep being answered, every server's predictions land in one
 * monitoring window, a schedule fires once per slot across the servers, also when its leader dies or stops, and
 * replicas starting at once with {@code --auth} on a new database all start.
 * Each test has its own database, S3 prefix and directories; waits are bounded (generous timeouts), never timed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Three servers on one PostgreSQL and one S3")
class ServersOnOneStoreTest {
    private static final String ACCESS_KEY = "scale-out-access";
    private static final String SECRET_KEY = "scale-out-secret";
    private static final String BUCKET = "cairn";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the tests set for the servers they start (S3 endpoint and keys, and a CAIRN_HOME of their own), restored after. */
    private static final List<String> PROPERTIES = List.of("CAIRN_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION", "cairn.home");

    private final Map<String, String> saved = new LinkedHashMap<>();
    private EmbeddedPostgresDatabase postgres;
    private S3Proxy s3;
    private Path models;

    @BeforeAll
    void startStores(@TempDir Path home) throws Exception {
        postgres = EmbeddedPostgresDatabase.start();
        s3 = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties())).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        for (String p : PROPERTIES) saved.put(p, System.getProperty(p));
        // The servers read these as they would the environment variables of the same names (S3ArtifactRepositoryProvider).
        System.setProperty("CAIRN_S3_ENDPOINT_URL", "http://127.0.0.1:" + s3.getPort());
        System.setProperty("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        System.setProperty("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        System.setProperty("AWS_REGION", "us-east-1");
        try (S3Client client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .endpointOverride(URI.create("http://127.0.0.1:" + s3.getPort())).forcePathStyle(true).build()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        // With an S3 artifact root a server's own files (model cache, monitoring windows) go under CAIRN_HOME.
        System.setProperty("cairn.home", home.resolve("cairn-home").toString());
        models = Files.createDirectories(home.resolve("packages"));
        TinyModels.write(models, 3);
        TinyModels.write(models, 6);
    }

    @AfterAll
    void stopStores() throws Exception {
        saved.forEach((name, value) -> {
            if (value == null) System.clearProperty(name);
            else System.setProperty(name, value);
        });
        if (s3 != null) s3.stop();
        if (postgres != null) postgres.close();
    }

    /** Three servers on a new database and a new S3 prefix; the spec files in {@code specs} are in their pipelines directory. */
    private Cluster cluster(Path dir, String name, Map<String, String> specs, MovableClock clock) throws Exception {
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        for (Map.Entry<String, String> spec : specs.entrySet()) Files.writeString(pipelines.resolve(spec.getKey()), spec.getValue());
        return Cluster.start(postgres.newDatabase(), "s3://" + BUCKET + "/" + name, dir, 3, clock);
    }

    /** Registers {@code model} with versions 1 (3 trees) and 2 (6 trees), their packages in the cluster's S3 root. */
    private void registerModel(Cluster cluster, String root, String model) throws Exception {
        ArtifactRepository artifacts = Stores.openArtifacts(root);
        TinyModels.upload(models.resolve("model-3"), artifacts, "packages/" + model + "/v1");
        TinyModels.upload(models.resolve("model-6"), artifacts, "packages/" + model + "/v2");
        ok(cluster.http(0).post("/api/v1/registered-models", "{\"name\": \"" + model + "\"}"));
        for (int v = 1; v <= 2; v++) {
            ok(cluster.http(v % cluster.size()).post("/api/v1/registered-models/" + model + "/versions",
                    "{\"source\": \"" + root + "/packages/" + model + "/v" + v + "\"}"));
        }
    }

    @Test
    @DisplayName("Registry changes made at once through different servers are all kept")
    void concurrentRegistryChangesLoseNothing(@TempDir Path dir) throws Exception {
        String root = "s3://" + BUCKET + "/registry";
        try (Cluster cluster = cluster(dir, "registry", Map.of(), new MovableClock(Instant.parse("2026-01-05T00:00:00Z")))) {
            registerModel(cluster, root, "churn");
            int threads = 6;
            int each = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<Long>>> created = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    created.add(pool.submit(() -> {
                        List<Long> versions = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            Http via = cluster.http((thread + i) % cluster.size());
                            JsonNode version = ok(via.post("/api/v1/registered-models/churn/versions",
                                    "{\"source\": \"" + root + "/packages/churn/v" + (1 + i % 2) + "\", \"description\": \"t" + thread + "-" + i + "\"}"));
                            long number = version.at("/model_version/version").asLong(version.path("version").asLong());
                            versions.add(number);
                            ok(via.post("/api/v1/registered-models/churn/tags", "{\"key\": \"t" + thread + "-" + i + "\", \"value\": \"" + number + "\"}"));
                            ok(via.post("/api/v1/registered-models/churn/versions/" + number + "/tags", "{\"key\": \"by\", \"value\": \"t" + thread + "\"}"));
                        }
                        ok(cluster.http(thread % cluster.size()).send("PUT", "/api/v1/registered-models/churn/aliases/a" + thread,
                                "{\"version\": " + versions.getLast() + "}", null));
                        return versions;
                    }));
                }
                List<Long> numbers = new ArrayList<>();
                for (Future<List<Long>> f : created) numbers.addAll(f.get(120, TimeUnit.SECONDS));
                int total = 2 + threads * each;
                assertThat(numbers).as("every version got a number of its own").doesNotHaveDuplicates().hasSize(threads * each);
                // Read through each server: each sees everything, whichever server it went through.
                for (int s = 0; s < cluster.size(); s++) {
                    List<ModelVersion> versions = cluster.server(s).store().registry()
                            .searchModelVersions("name = 'churn'", List.of(), 1000, null).items();
                    assertThat(versions).extracting(ModelVersion::version).as("server %d", s)
                            .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
                    var model = cluster.server(s).store().registry().getRegisteredModel("churn");
                    assertThat(model.tags()).extracting(Tag::key).hasSize(threads * each);
                    assertThat(model.aliases()).hasSize(threads);
                    for (ModelVersion v : versions) {
                        if (v.version() > 2) assertThat(v.tags()).extracting(Tag::key).as("version %d", v.version()).containsExactly("by");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("A moved alias and changed weights are served by every server soon, and no request fails meanwhile")
    void deploymentChangesReachEveryServerUnderLoad(@TempDir Path dir) throws Exception {
        String root = "s3://" + BUCKET + "/serving";
        try (Cluster cluster = cluster(dir, "serving", Map.of(), new MovableClock(Instant.parse("2026-01-05T00:00:00Z")))) {
            registerModel(cluster, root, "credit");
            ok(cluster.http(0).send("PUT", "/api/v1/registered-models/credit/aliases/champion", "{\"version\": 1}", null));
            ok(cluster.http(0).send("PUT", "/api/v1/deployments/credit",
                    "{\"targets\": [{\"model\": \"models:/credit@champion\", \"weight\": 100}]}", null));
            awaitEveryServer(cluster, "the deployment", http -> versions(http, "credit").equals(List.of("1=100")));

            Load load = Load.start(cluster, "credit", 4);
            try {
                load.awaitAnswers(50);
                // An alias moved through server 1: every server serves version 2.
                ok(cluster.http(1).send("PUT", "/api/v1/registered-models/credit/aliases/champion", "{\"version\": 2}", null));
                awaitEveryServer(cluster, "the moved alias", http -> versions(http, "credit").equals(List.of("2=100")));
                load.awaitAnswers(50);
                // A canary through server 2: every server splits the traffic, with one ETag for one state.
                ok(cluster.http(2).send("PUT", "/api/v1/deployments/credit", "{\"targets\": [{\"model\": \"models:/credit@champion\", "
                        + "\"weight\": 50}, {\"model\": \"models:/credit/1\", \"weight\": 50}]}", null));
                awaitEveryServer(cluster, "the canary", http -> versions(http, "credit").equals(List.of("2=50", "1=50")));
                Set<String> etags = new HashSet<>();
                for (int s = 0; s < cluster.size(); s++) etags.add(cluster.http(s).get("/api/v1/deployments/credit").header("ETag"));
                assertThat(etags).as("one state, one ETag on every server").hasSize(1);
                load.awaitAnswers(50);
                // New weights through server 0 (the canary is given up; the stable target keeps its weight): every server sends it nothing.
                ok(cluster.http(0).post("/api/v1/deployments/credit/weights", "{\"weights\": {\"models:/credit/1\": 0}}"));
                awaitEveryServer(cluster, "the new weights", http -> versions(http, "credit").equals(List.of("2=50", "1=0")));
                load.awaitAnswers(50);
            } finally {
                load.stop();
            }
            assertThat(load.failures).as("requests that failed while the deployment changed").isEmpty();
            assertThat(load.answeredBy).as("answers per server").allSatisfy(n -> assertThat(n.get()).isPositive());
            for (int s = 0; s < cluster.size(); s++) {
                assertThat(predict(cluster.http(s), "credit", new Random(s)).path("model_version").asText()).as("server %d", s).isEqualTo("2");
            }
            // Removed through server 1: gone everywhere.
            assertThat(cluster.http(1).send("DELETE", "/api/v1/deployments/credit", null, null).status()).isBetween(200, 204);
            awaitEveryServer(cluster, "the removal", http -> http.get("/api/v1/deployments/credit").status() == 404);
        }
    }

    @Test
    @DisplayName("The predictions every server answered are in one monitoring window")
    void predictionLogsOfAllServersFeedOneWindow(@TempDir Path dir) throws Exception {
        String root = "s3://" + BUCKET + "/monitoring";
        try (Cluster cluster = cluster(dir, "monitoring", Map.of(), new MovableClock(Instant.parse("2026-01-05T12:00:00Z")))) {
            registerModel(cluster, root, "scored");
            ok(cluster.http(2).send("PUT", "/api/v1/deployments/scored", "{\"targets\": [{\"model\": \"models:/scored/1\", \"weight\": 100}]}", null));
            awaitEveryServer(cluster, "the deployment", http -> versions(http, "scored").equals(List.of("1=100")));
            int perServer = 15;
            Instant day = Instant.parse("2026-01-04T00:00:00Z");
            Random random = new Random(3);
            for (int s = 0; s < cluster.size(); s++) {
                for (int k = 0; k < perServer; k++) {
                    Http.Response r = cluster.http(s).send("POST", "/api/v1/deployments/scored/predict",
                            "{\"inputs\": " + JSON.writeValueAsString(TinyModels.row(random)) + "}", null,
                            Map.of("X-Request-Id", "s" + s + "-" + k, "X-Cairn-Prediction-Time", day.plusSeconds(3600L * s + 60L * k).toString()));
                    ok(r);
                }
            }
            for (int s = 0; s < cluster.size(); s++) cluster.server(s).serving().log().flush();
            Path log = cluster.shared.resolve("predictions");
            Set<String> writers = new HashSet<>();
            for (Path segment : PredictionLogLayout.files(log, "predictions")) writers.add(segment.getFileName().toString().split("-")[2]);
            assertThat(writers).as("segments of three writers in the one shared log").hasSize(3);

            // Monitoring on one server (server 1, which answered a third of them) counts every server's requests.
            Monitoring monitoring = cluster.server(1).monitoring();
            monitoring.refresh("scored", Progress.NONE);
            List<Monitoring.WindowResult> windows = monitoring.windows("scored", WindowSize.DAY, day, day.plus(Duration.ofDays(1)), null);
            assertThat(windows).hasSize(1);
            assertThat(windows.getFirst().metrics().values().get("volume.requests")).isEqualTo(3.0 * perServer);
            // And the window's rows can be told apart by server through their request ids.
            JsonNode page = ok(cluster.http(0).get("/api/v1/monitoring/deployments/scored/windows?window=day&from=" + day + "&to=" + day.plusSeconds(86_400)));
            assertThat(page.at("/windows/0/values").path("volume.requests").asDouble()).as(page.toString()).isEqualTo(3.0 * perServer);
        }
    }

    @Test
    @DisplayName("Replicas starting at once with --auth on a new database all start, and one admin is created")
    void replicasStartingAtOnceCreateOneAdmin(@TempDir Path dir) throws Exception {
        ServerOptions options = new ServerOptions(postgres.newDatabase(), "s3://" + BUCKET + "/auth", "127.0.0.1", 0)
                .withAuth(ServerOptions.parse(List.of("--auth")).auth()).withScaleOut(dir.resolve("shared").toString(), Cluster.REFRESH);
        MovableClock clock = new MovableClock(Instant.parse("2026-01-05T00:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<ServerMain.RunningServer>> starts = new ArrayList<>();
        List<ServerMain.RunningServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) starts.add(pool.submit(() -> ServerMain.start(options, clock, false)));
            for (Future<ServerMain.RunningServer> start : starts) started.add(start.get(120, TimeUnit.SECONDS));
            assertThat(started.getFirst().store().auth().account(AdminBootstrap.ADMIN)).isPresent();
            for (ServerMain.RunningServer server : started) {
                assertThat(new Http(server.url()).get("/health/ready").status()).isEqualTo(200);
            }
        } finally {
            for (Future<ServerMain.RunningServer> start : starts) {
                try {
                    ServerMain.RunningServer server = start.get(120, TimeUnit.SECONDS);
                    server.close();
                } catch (java.util.concurrent.ExecutionException failed) {
                    // asserted above
                }
            }
            pool.shutdownNow();
        }
    }

    private static final String HOURLY = """
            name: hourly
            description: Fires at the top of every hour, once across the servers.
            triggers:
              - schedule: {cron: "0 * * * *", timezone: UTC, catch_up: all}
            steps:
              - id: tell
                type: notify
                with: {message: "the hourly run"}
            """;

    @Test
    @DisplayName("A schedule fires once per slot across the servers, and a dead or stopped leader's turn passes on in time")
    void schedulesFireOnceAndTheLeaderHandsOver(@TempDir Path dir) throws Exception {
        Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
        MovableClock clock = new MovableClock(t0.plusSeconds(5));
        try (Cluster cluster = cluster(dir, "pipelines", Map.of("hourly.yaml", HOURLY), clock)) {
            Ticks ticks = new Ticks(cluster);
            // Arms the schedule at 00:00:05.
            ticks.round();
            // 00:59:50 to 01:00:35, every 15 s as servers tick: one leader, who keeps the lease and fires 01:00.
            clock.atLeast(at(t0, 0, 59, 50));
            assertThat(ticks.roundsUntil(at(t0, 1, 0, 35))).as("one leader, renewing its lease").hasSize(1);
            awaitRuns(cluster, 1);

            // At 01:59:35 and 01:59:50 one server leads (renewing its lease until 02:00:50); then it dies and never ticks again.
            clock.atLeast(at(t0, 1, 59, 35));
            Set<Integer> before = ticks.roundsUntil(at(t0, 1, 59, 50));
            assertThat(before).hasSize(1);
            int first = before.iterator().next();
            ticks.dead(first);
            Instant died = clock.instant();
            int second = -1;
            while (second < 0) {
                Set<Integer> leading = ticks.advanceAndRound();
                assertThat(Duration.between(died, clock.instant())).as("another server leads within the lease's time to live and a tick")
                        .isLessThanOrEqualTo(PipelineScheduler.LEASE_TTL.plusSeconds(15));
                if (!leading.isEmpty()) second = leading.iterator().next();
            }
            assertThat(second).isNotEqualTo(first);
            ticks.roundsUntil(at(t0, 2, 1, 35));
            awaitRuns(cluster, 2);
            cluster.stop(first);

            // At 02:59:35 and 02:59:50 one of the two leads; it is stopped (SIGTERM), releasing its lease: the other leads at once.
            clock.atLeast(at(t0, 2, 59, 35));
            before = ticks.roundsUntil(at(t0, 2, 59, 50));
            assertThat(before).hasSize(1);
            int stopped = before.iterator().next();
            cluster.stop(stopped);
            int last = 3 - first - stopped;
            assertThat(ticks.advanceAndRound()).as("the last server leads at its first tick after the stop").containsExactly(last);
            ticks.roundsUntil(at(t0, 3, 1, 0));
            awaitRuns(cluster, 3);

            List<PipelineRun> runs = cluster.server(last).pipelines().store().listRuns("hourly", null, 100, null).items();
            assertThat(runs).extracting(PipelineRun::logicalTime).as("one run per slot, none missed")
                    .containsExactlyInAnyOrder(at(t0, 1, 0, 0), at(t0, 2, 0, 0), at(t0, 3, 0, 0));
            assertThat(runs).allSatisfy(r -> {
                assertThat(r.trigger()).isEqualTo("schedule");
                assertThat(r.state()).isEqualTo(PipelineRunState.SUCCEEDED);
            });
            assertThat(ticks.fired).as("runs fired by all ticks of all servers").hasSize(3);
            assertThat(ticks.twoLeaders).as("rounds in which two servers led").isZero();
        }
    }

    private static Instant at(Instant t0, int hours, int minutes, int seconds) {
        return t0.plus(Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds));
    }

    /** Ticks the living servers' schedulers at once (a thread each), every 15 s of simulated time, and records what they did. */
    private static final class Ticks {
        private final Cluster cluster;
        private final Set<Integer> dead = new HashSet<>();
        final List<PipelineRun> fired = Collections.synchronizedList(new ArrayList<>());
        int twoLeaders;

        Ticks(Cluster cluster) {
            this.cluster = cluster;
        }

        /** A server that no longer ticks, as a process that was killed: its lease is not released, it runs out. */
        void dead(int server) {
            dead.add(server);
        }

        /** One tick of every living server; returns which led. */
        Set<Integer> round() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(cluster.size());
            try {
                Map<Integer, Future<PipelineScheduler.Tick>> ticks = new LinkedHashMap<>();
                for (int s = 0; s < cluster.size(); s++) {
                    if (dead.contains(s) || !cluster.running(s)) continue;
                    PipelineScheduler scheduler = cluster.server(s).pipelines().scheduler();
                    ticks.put(s, pool.submit(scheduler::tick));
                }
                Set<Integer> leaders = new java.util.TreeSet<>();
                for (Map.Entry<Integer, Future<PipelineScheduler.Tick>> t : ticks.entrySet()) {
                    PipelineScheduler.Tick tick = t.getValue().get(60, TimeUnit.SECONDS);
                    if (tick.leader()) leaders.add(t.getKey());
                    fired.addAll(tick.fired());
                }
                if (leaders.size() > 1) twoLeaders++;
                return leaders;
            } finally {
                pool.shutdownNow();
            }
        }

        Set<Integer> advanceAndRound() throws Exception {
            cluster.clock.advance(Duration.ofSeconds(15));
            return round();
        }

        /** A round now and every 15 s up to {@code last}; returns every server that led in one of them. */
        Set<Integer> roundsUntil(Instant last) throws Exception {
            Set<Integer> leaders = new java.util.TreeSet<>(round());
            while (!cluster.clock.instant().plusSeconds(15).isAfter(last)) leaders.addAll(advanceAndRound());
            return leaders;
        }
    }

    /** Waits until {@code n} runs of the hourly pipeline have finished. */
    private static void awaitRuns(Cluster cluster, int n) throws InterruptedException {
        int live = 0;
        while (!cluster.running(live)) live++;
        var store = cluster.server(live).pipelines().store();
        await("finished runs", () -> store.listRuns("hourly", null, 100, null).items().stream()
                .filter(r -> r.state() != PipelineRunState.QUEUED && r.state() != PipelineRunState.RUNNING).count() >= n);
    }

    /** Requests to a deployment from several threads, spread over every server, until stopped. */
    private static final class Load {
        final List<AtomicInteger> answeredBy = new ArrayList<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger answered = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();

        static Load start(Cluster cluster, String deployment, int threads) {
            Load load = new Load();
            for (int s = 0; s < cluster.size(); s++) load.answeredBy.add(new AtomicInteger());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                load.threads.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                    Random random = new Random(thread);
                    for (int i = 0; load.running.get(); i++) {
                        int s = (thread + i) % cluster.size();
                        try {
                            Http.Response r = cluster.http(s).post("/api/v1/deployments/" + deployment + "/predict",
                                    "{\"inputs\": " + JSON.writeValueAsString(TinyModels.row(random)) + "}");
                            if (r.status() == 200) {
                                load.answeredBy.get(s).incrementAndGet();
                                load.answered.incrementAndGet();
                            } else {
                                load.failures.add("server " + s + ": " + r.status() + " " + r.body());
                            }
                        } catch (RuntimeException | java.io.IOException e) {
                            load.failures.add("server " + s + ": " + e);
                        }
                    }
                }));
            }
            return load;
        }

        /** Waits until {@code more} further requests were answered, so every change is made under traffic. */
        void awaitAnswers(int more) throws InterruptedException {
            int target = answered.get() + more;
            await("answers", () -> answered.get() >= target || !failures.isEmpty());
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** The deployment's routes on one server as {@code version=weight}, stable first; empty when it does not serve it. */
    private static List<String> versions(Http http, String deployment) {
        Http.Response r = http.get("/api/v1/deployments/" + deployment);
        if (r.status() != 200) return List.of();
        List<String> routes = new ArrayList<>();
        for (JsonNode route : r.json().path("routes")) routes.add(route.path("model_version").asText() + "=" + route.path("weight").asInt());
        return routes;
    }

    private static JsonNode predict(Http http, String deployment, Random random) throws Exception {
        return ok(http.post("/api/v1/deployments/" + deployment + "/predict", "{\"inputs\": " + JSON.writeValueAsString(TinyModels.row(random)) + "}"));
    }

    private static void awaitEveryServer(Cluster cluster, String what, java.util.function.Predicate<Http> served) throws InterruptedException {
        for (int s = 0; s < cluster.size(); s++) {
            if (!cluster.running(s)) continue;
            Http http = cluster.http(s);
            await(what + " on server " + s, () -> served.test(http));
        }
    }

    /** Waits for {@code condition}, failing after {@link #WAIT}: a bound, not a measurement. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", WAIT, what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 201);
        return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : response.json();
    }
}

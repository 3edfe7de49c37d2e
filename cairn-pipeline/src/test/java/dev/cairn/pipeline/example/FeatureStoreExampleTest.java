package dev.cairn.pipeline.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.offline.FeatureTraining;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.RunListener;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.steps.StandardSteps;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master-data example on the feature store, end to end with real components (an SQLite master database, an SQLite
 * metadata store, DuckDB, the standard step runners): the shipped definitions apply, the shipped pipeline materializes
 * the customers' features and trains the good/bad model on the service's point-in-time training set, recording the
 * service and views (at their versions) on the run and in the lineage; and a training set of the example uses no
 * sale after a row's time, however large the planted future sales.
 */
class FeatureStoreExampleTest {
    static final LocalDate START = LocalDate.of(2024, 3, 1);
    /** The run's time: after the newcomers' labels are known. */
    static final Instant RUN_TIME = Instant.parse("2024-03-22T03:00:00Z");
    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    String master;
    MetadataStore metadata;
    FeatureStore features;

    @BeforeEach
    void makeTheShopAndApplyItsDefinitions() {
        master = "jdbc:sqlite:" + dir.resolve("master.db");
        MasterData data = MasterData.create(master, MasterData.Settings.of(42, START).withHistoryDays(90));
        data.addCustomers(START, 30);
        data.advanceDay(START.plusDays(20)); // the newcomers' labels are known after 14 days
        ExampleFiles.write(dir);
        metadata = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        features = new FeatureStore(metadata.features(), FeatureStore.unconfined(), Map.<String, String>of()::get);
        features.apply(dir.resolve(ExampleFiles.FEATURES), "tester");
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private PipelineServices services() {
        return new PipelineServices(Tracking.of(metadata), new Snapshots(Stores.openArtifacts(dir.resolve("artifacts").toUri().toString())),
                Workspace.local(dir), Clock.fixed(RUN_TIME, ZoneOffset.UTC), Map.<String, String>of()::get, dir.resolve("scratch"))
                .withFeatures(metadata.features());
    }

    /** Runs the shipped train-features pipeline at {@link #RUN_TIME}; its steps by id. */
    private Map<String, StepRun> runThePipeline(PipelineServices services) throws Exception {
        PipelineRun run;
        try (PipelineEngine engine = new PipelineEngine(metadata.pipelines(), services, new StepRunners().addAll(StandardSteps.all()),
                "test")) {
            run = engine.run(PipelineSpec.read(dir.resolve("train-features.yaml")), RunRequest.manual("tester").at(RUN_TIME),
                    RunListener.NONE);
        }
        Map<String, StepRun> steps = metadata.pipelines().steps(run.runId()).stream()
                .collect(Collectors.toMap(StepRun::stepId, s -> s));
        assertThat(run.state()).as(run.message() + " " + steps).isEqualTo(PipelineRunState.SUCCEEDED);
        return steps;
    }

    @Test
    void thePipelineMaterializesTheFeaturesAndTrainsTheModelOnTheServicesTrainingSet() throws Exception {
        PipelineServices services = services();
        Map<String, StepRun> steps = runThePipeline(services);
        PipelineRun run = metadata.pipelines().getRun(steps.get("train").runId());
        assertThat(steps.values()).extracting(StepRun::state).containsOnly(StepState.SUCCEEDED);

        // The training run: on the training set (its SHA-256 the dataset input's), with the service and views recorded.
        JsonNode trainOutputs = JSON.readTree(steps.get("train").outputsJson());
        Run training = metadata.runs().getRun(trainOutputs.get("run_id").asText());
        Map<String, String> tags = training.data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(tags).containsEntry(FeatureTraining.TAG_SERVICE, "credit_risk")
                .containsEntry(FeatureTraining.TAG_SERVICE_VERSION, "1")
                .containsEntry(FeatureTraining.TAG_VIEWS, "customer_profile:1,customer_sales:1")
                .containsEntry(FeatureTraining.TAG_ENTITY_KEYS, "customer_id")
                .containsEntry(FeatureTraining.TAG_TIMESTAMP_COLUMN, "label_time")
                .containsEntry("cairn.pipeline.data", trainOutputs.get("training_set").asText());
        DatasetInput trainingInput = input(training, "training");
        assertThat(trainingInput.tags()).contains(new Tag("cairn.data.sha256", tags.get(FeatureTraining.TAG_TRAINING_SET)));
        List<String> columns = new ArrayList<>();
        JSON.readTree(trainingInput.dataset().schema()).get("columns").forEach(c -> columns.add(c.get("name").asText()));
        assertThat(columns).contains("checking_status", "age", "purchases_30d", "amount_90d", "mean_amount_30d", "online_share_30d", "class")
                .doesNotContain("customer_id", "label_time");
        assertThat(training.inputs()).filteredOn(i -> i.dataset().sourceType().equals("feature_view"))
                .extracting(i -> i.dataset().name()).containsExactly("customer_profile v1", "customer_sales v1");
        assertThat(training.data().metrics()).anySatisfy(m -> assertThat(m.key()).isEqualTo("roc_auc"));

        // The model is registered; the lineage says which views (at which versions) it was trained on and what read them.
        assertThat(metadata.registry().getModelVersion("credit-risk-features", 1).runId()).isEqualTo(training.info().runId());
        List<LineageEdge> sales = metadata.pipelines().lineageOfArtifact("feature_view:customer_sales/1", 10);
        assertThat(sales).extracting(LineageEdge::stepId).containsExactlyInAnyOrder("train", "materialize");
        assertThat(sales).allSatisfy(e -> assertThat(e.direction()).isEqualTo(LineageEdge.Direction.INPUT))
                .allSatisfy(e -> assertThat(e.sha256()).isEqualTo(features.show("customer_sales", 1L).sha256()));
        List<LineageEdge> trainEdges = metadata.pipelines().lineageOfRun(run.runId()).stream().filter(e -> e.stepId().equals("train")).toList();
        assertThat(trainEdges).extracting(LineageEdge::kind, LineageEdge::uri).contains(
                tuple("feature_service", "feature_service:credit_risk/1"),
                tuple("feature_view", "feature_view:customer_profile/1"),
                tuple("snapshot", trainOutputs.get("training_set").asText()),
                tuple("model", trainOutputs.get("model").asText()));

        // Serving reads what training saw: online values as of the run's time are the training set's, customer by customer.
        Path set = services.snapshots().copyTo(trainOutputs.get("training_set").asText().substring("snapshot:".length()),
                dir.resolve("set.parquet"));
        List<Map<String, Object>> rows = parquet(set);
        assertThat(rows).hasSize((int) Db.number(master, "SELECT count(*) FROM customers WHERE class IS NOT NULL"));
        try (OnlineStore online = OnlineStores.open("sqlite:" + dir.resolve("online.db"))) {
            List<Map<String, Object>> keys = rows.stream().map(r -> Map.<String, Object>of("customer_id", r.get("customer_id"))).toList();
            List<Map<String, Object>> served = features.online(online, "credit_risk", keys, RUN_TIME);
            for (int i = 0; i < rows.size(); i++) {
                for (String feature : List.of("checking_status", "age", "purchases_30d", "purchases_90d", "amount_90d", "mean_amount_90d")) {
                    assertSame(rows.get(i).get(feature), served.get(i).get(feature), "customer " + rows.get(i).get("customer_id") + " " + feature);
                }
            }
        }
    }

    @Test
    void theTrainStepIsCachedWhileItsTrainingSetIsUnchangedAndRetrainsWhenASourceChanges() throws Exception {
        PipelineServices services = services();
        assertThat(runThePipeline(services).get("train").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(runThePipeline(services).get("train").state()).as("same entity rows, definitions and sources")
                .isEqualTo(StepState.CACHED);

        // A sale the spec does not name, before the run's time: the features, so the training set, change.
        long id = (long) Db.number(master, "SELECT max(sale_id) FROM sales") + 1;
        long customer = (long) Db.number(master, "SELECT min(customer_id) FROM customers WHERE class IS NOT NULL");
        Db.execute(master, "INSERT INTO sales (sale_id, customer_id, sold_at, sold_day, amount, channel, category, payment, returned) "
                + "VALUES (" + id + ", " + customer + ", '2024-03-21 10:00:00.000', " + LocalDate.of(2024, 3, 21).toEpochDay()
                + ", 12.5, 'store', 'late', 'card', 0)");
        assertThat(runThePipeline(services).get("train").state()).isEqualTo(StepState.SUCCEEDED);
        // A sale of no customer the entity rows name changes no feature: the step stays cached.
        Db.execute(master, "INSERT INTO sales (sale_id, customer_id, sold_at, sold_day, amount, channel, category, payment, returned) "
                + "VALUES (" + (id + 1) + ", 1, '2024-03-21 11:00:00.000', " + LocalDate.of(2024, 3, 21).toEpochDay()
                + ", 12.5, 'store', 'late', 'card', 0)");
        assertThat(runThePipeline(services).get("train").state()).isEqualTo(StepState.CACHED);
    }

    @Test
    void aTrainingSetOfTheExampleUsesNoSaleAfterARowsTime() throws Exception {
        // Entity rows: every customer at two times; the earlier one is before the newcomers registered.
        Instant early = START.atTime(0, 0).toInstant(ZoneOffset.UTC).minusSeconds(1);
        Instant late = START.plusDays(10).atTime(12, 0).toInstant(ZoneOffset.UTC);
        List<Map<String, Object>> customers = Db.rows(master, "SELECT customer_id FROM customers ORDER BY customer_id");
        StringBuilder entities = new StringBuilder("customer_id,label_time\n");
        for (Map<String, Object> c : customers) {
            entities.append(c.get("customer_id")).append(',').append(early).append('\n');
            entities.append(c.get("customer_id")).append(',').append(late).append('\n');
        }
        Path rows = Files.writeString(dir.resolve("entities.csv"), entities);
        TrainingSet before = features.trainingSet("credit_risk", FileSource.of(rows), "label_time", dir.resolve("before.parquet"), Progress.NONE);

        // Plant, for every customer, sales one second and more after the later time, with amounts no real sale has.
        plantFutureSales(late, customers.size());
        TrainingSet after = features.trainingSet("credit_risk", FileSource.of(rows), "label_time", dir.resolve("after.parquet"), Progress.NONE);
        assertThat(after.sha256()).as("the planted future changes nothing").isEqualTo(before.sha256());

        List<Map<String, Object>> set = parquet(after.path());
        assertThat(set).hasSize(2 * customers.size());
        for (int i = 0; i < set.size(); i++) {
            assertThat(String.valueOf(set.get(i).get("customer_id"))).isEqualTo(String.valueOf(customers.get(i / 2).get("customer_id")));
        }
        for (Map<String, Object> row : set) {
            assertThat(((Number) row.getOrDefault("amount_90d", 0)).doubleValue()).isLessThan(900_000);
        }
        // Every aggregate equals the sales table's, counted row by row over (t - window, t].
        Map<String, List<double[]>> sales = salesByCustomer();
        int nonEmpty = 0;
        for (int i = 0; i < set.size(); i++) {
            Map<String, Object> row = set.get(i);
            Instant t = i % 2 == 0 ? early : late; // the rows keep the entity rows' order
            List<double[]> own = sales.getOrDefault(String.valueOf(row.get("customer_id")), List.of());
            double[] d30 = window(own, t, Duration.ofDays(30));
            double[] d90 = window(own, t, Duration.ofDays(90));
            String at = "customer " + row.get("customer_id") + " at " + t;
            assertThat(((Number) row.get("purchases_30d")).longValue()).as(at).isEqualTo((long) d30[0]);
            assertThat(((Number) row.get("purchases_90d")).longValue()).as(at).isEqualTo((long) d90[0]);
            assertThat(((Number) row.get("amount_30d")).doubleValue()).as(at).isCloseTo(d30[1], within(1e-6));
            assertThat(((Number) row.get("amount_90d")).doubleValue()).as(at).isCloseTo(d90[1], within(1e-6));
            if (d90[0] == 0) {
                assertThat(row.get("mean_amount_90d")).as(at).isNull();
            } else {
                nonEmpty++;
                assertThat(((Number) row.get("mean_amount_90d")).doubleValue()).as(at).isCloseTo(d90[1] / d90[0], within(1e-6));
            }
        }
        assertThat(nonEmpty).as("rows with sales in their window").isGreaterThan(customers.size() / 2);
        // The application is known from registration on: before it, the profile is empty.
        Map<String, Instant> registered = new HashMap<>();
        for (Map<String, Object> c : Db.rows(master, "SELECT customer_id, registered_at FROM customers")) {
            registered.put(String.valueOf(c.get("customer_id")), LocalDateTime.parse(String.valueOf(c.get("registered_at")), SQLITE_TIME)
                    .toInstant(ZoneOffset.UTC));
        }
        long unknownYet = 0;
        for (int i = 0; i < set.size(); i++) {
            Map<String, Object> row = set.get(i);
            Instant t = i % 2 == 0 ? early : late;
            boolean known = !registered.get(String.valueOf(row.get("customer_id"))).isAfter(t);
            assertThat(row.get("checking_status") != null).as("customer " + row.get("customer_id") + " at " + t).isEqualTo(known);
            if (!known) unknownYet++;
        }
        assertThat(unknownYet).as("newcomers asked about before they registered").isEqualTo(30);
    }

    private static DatasetInput input(Run run, String context) {
        return run.inputs().stream().filter(i -> i.tags().contains(new Tag(SystemTags.DATASET_CONTEXT, context))).findFirst().orElseThrow();
    }

    /** Numbers compare as numbers (an online record keeps whole numbers as integers), everything else as text. */
    private static void assertSame(Object trained, Object served, String what) {
        if (trained instanceof Number a && served instanceof Number b) {
            assertThat(b.doubleValue()).as(what).isCloseTo(a.doubleValue(), within(1e-9));
        } else {
            assertThat(served == null ? null : String.valueOf(served)).as(what).isEqualTo(trained == null ? null : String.valueOf(trained));
        }
    }

    /** Three sales per customer after {@code after}: 1 s, 1 day and 20 days later, of 999,999.99 each. */
    private void plantFutureSales(Instant after, int customerCount) throws Exception {
        long nextId = (long) Db.number(master, "SELECT max(sale_id) FROM sales") + 1;
        try (Connection c = DriverManager.getConnection(master);
             PreparedStatement insert = c.prepareStatement("INSERT INTO sales (sale_id, customer_id, sold_at, sold_day, amount, channel, "
                     + "category, payment, returned) VALUES (?, ?, ?, ?, 999999.99, 'online', 'planted', 'instalments', 1)")) {
            for (Map<String, Object> customer : Db.rows(master, "SELECT customer_id FROM customers")) {
                for (Duration later : List.of(Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofDays(20))) {
                    LocalDateTime at = LocalDateTime.ofInstant(after.plus(later), ZoneOffset.UTC);
                    insert.setLong(1, nextId++);
                    insert.setInt(2, ((Number) customer.get("customer_id")).intValue());
                    insert.setString(3, SQLITE_TIME.format(at));
                    insert.setLong(4, at.toLocalDate().toEpochDay());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        assertThat(Db.number(master, "SELECT count(*) FROM sales WHERE category = 'planted'")).isEqualTo(3.0 * customerCount);
    }

    /** Every customer's real sales as (epoch second, amount). */
    private Map<String, List<double[]>> salesByCustomer() {
        Map<String, List<double[]>> out = new HashMap<>();
        for (Map<String, Object> s : Db.rows(master, "SELECT customer_id, sold_at, amount FROM sales WHERE category <> 'planted'")) {
            Instant at = LocalDateTime.parse(String.valueOf(s.get("sold_at")), SQLITE_TIME).toInstant(ZoneOffset.UTC);
            out.computeIfAbsent(String.valueOf(s.get("customer_id")), k -> new ArrayList<>())
                    .add(new double[] {at.getEpochSecond() + at.getNano() / 1e9, ((Number) s.get("amount")).doubleValue()});
        }
        return out;
    }

    /** Count and sum of the sales in (t - window, t]. */
    private static double[] window(List<double[]> sales, Instant t, Duration window) {
        double end = t.getEpochSecond() + t.getNano() / 1e9;
        double start = end - window.getSeconds();
        double count = 0;
        double sum = 0;
        for (double[] s : sales) {
            if (s[0] > start && s[0] <= end) {
                count++;
                sum += s[1];
            }
        }
        return new double[] {count, sum};
    }

    /** A Parquet file's rows through DuckDB, columns by name. */
    private static List<Map<String, Object>> parquet(Path file) throws Exception {
        return Db.rows("jdbc:duckdb:", "SELECT * FROM read_parquet('" + file.toString().replace("'", "''") + "')");
    }
}

package dev.cairn.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.store.CairnHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's main command, end to end: {@code cairn quickstart} on a fresh CAIRN_HOME, then
 * everything it claims to have done is read back from the store it wrote. It runs with {@code --auth}: every stage
 * then goes through login and the permission checks as well (without it they are skipped, which is all that differs),
 * and the audit log must name the authenticated principal for every write.
 */
class QuickstartTest {

    @TempDir static Path home;
    static int exitCode;
    static MetadataStore store;

    @BeforeAll
    static void runQuickstart() {
        System.setProperty("cairn.home", home.toString());
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk");
        exitCode = new CommandLine(new QuickstartCommand()).execute("--exit", "--auth", "--port", "0", "--example", example.toString());
        store = Stores.openMetadata(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot());
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
        System.clearProperty("cairn.home");
    }

    @Test
    void theQuickstartSucceeds() {
        assertThat(exitCode).isZero();
    }

    @Test
    void withLoginEveryWriteNamesTheAuthenticatedAnalystNotTheNameTheRequestsClaimed() {
        List<AuditEvent> audit = store.registry().listAuditEvents("credit-risk", 1000, null).items();
        assertThat(audit).extracting(AuditEvent::actor).containsOnly(Login.ANALYST, "cairn-monitor");
        assertThat(audit).filteredOn(e -> e.actor().equals(Login.ANALYST)).extracting(AuditEvent::action)
                .contains(AuditAction.MODEL_CREATED, AuditAction.VERSION_CREATED, AuditAction.ALIAS_SET, AuditAction.DEPLOYMENT_CHANGED);
        Experiment experiment = store.experiments().getExperimentByName("credit-risk").orElseThrow();
        assertThat(store.runs().searchRuns(List.of(experiment.experimentId()), null, ViewType.ALL, List.of(), 1000, null).items())
                .isNotEmpty().allSatisfy(run -> assertThat(run.info().userId()).isEqualTo(Login.ANALYST));
        assertThat(store.auth().account("admin")).hasValueSatisfying(a -> assertThat(a.admin()).isTrue());
        assertThat(store.auth().account(Login.ANALYST)).hasValueSatisfying(a -> assertThat(a.admin()).isFalse());
    }

    @Test
    void everyRunOfTheExampleFinishedAndTheDataRunRecordsItsInputAndReports() {
        Experiment experiment = store.experiments().getExperimentByName("credit-risk").orElseThrow();
        List<Run> runs = store.runs().searchRuns(List.of(experiment.experimentId()), null, ViewType.ALL, List.of(), 1000, null).items();
        assertThat(runs).isNotEmpty().allMatch(r -> r.info().status() == RunStatus.FINISHED);

        Run dataRun = runs.stream().filter(r -> "validate-credit-g".equals(r.info().runName())).findFirst().orElseThrow();
        assertThat(dataRun.inputs()).singleElement().satisfies(i -> assertThat(i.dataset().name()).isEqualTo("credit-g"));
        assertThat(dataRun.data().metrics()).anySatisfy(m -> assertThat(m.key()).isEqualTo("data.credit-g.checks_failed_error"));
        var artifacts = Stores.openArtifacts(dataRun.info().artifactUri());
        assertThat(artifacts.exists("data/credit-g/validation.html")).isTrue();
        assertThat(artifacts.exists("data/credit-g/profile.json")).isTrue();
    }

    @Test
    void theBlessedCandidateCarryingItsDecisionThresholdIsChampionWithAnAuditRecord() {
        ModelVersion champion = store.registry().getModelVersionByAlias("credit-risk", "champion");
        assertThat(champion.source()).as("the evaluation's copy with the chosen threshold").startsWith("runs:/")
                .endsWith("/" + dev.cairn.train.evaluation.Evaluations.THRESHOLDED_MODEL);
        Run evaluation = store.runs().getRun(champion.runId());
        var verdict = Stores.openArtifacts(evaluation.info().artifactUri());
        assertThat(verdict.exists(dev.cairn.train.evaluation.Evaluations.REPORT_HTML)).isTrue();

        ModelVersion candidate = store.registry().getModelVersion("credit-risk", champion.version() - 1);
        Run modelRun = store.runs().getRun(candidate.runId());

        List<AuditEvent> audit = store.registry().listAuditEvents("credit-risk", 100, null).items();
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.ALIAS_SET);
            assertThat(e.subject()).isEqualTo("champion");
        });
        assertThat(store.runs().searchRuns(List.of(modelRun.info().experimentId()),
                "tags.mlflow.parentRunId = '" + modelRun.info().runId() + "'", ViewType.ALL, List.of(), 100, null).items())
                .as("every tuning trial is a child run").hasSizeGreaterThan(1);
    }

    @Test
    void theChampionLoadsInTheRuntimeAndPredicts() throws Exception {
        ModelVersion champion = store.registry().getModelVersionByAlias("credit-risk", "champion");
        Run modelRun = store.runs().getRun(champion.runId());
        Path local = home.resolve("champion-copy");
        var artifacts = Stores.openArtifacts(modelRun.info().artifactUri()).child("model");
        for (var file : artifacts.list("")) {
            try (var in = artifacts.open(file.path())) {
                Files.createDirectories(local);
                Files.copy(in, local.resolve(Path.of(file.path()).getFileName().toString()));
            }
        }
        try (Model model = Models.load(local)) {
            Map<String, Object> row = new java.util.HashMap<>();
            for (Field f : model.signature().inputs()) {
                double low = f.min() == null ? 1 : f.min();
                row.put(f.name(), f.isCategorical() ? f.domain().get(0)
                        : f.type() == FieldType.BOOLEAN ? (Object) Boolean.TRUE
                        : f.type() == FieldType.INTEGER ? (Object) (long) Math.ceil(low) : (Object) low);
            }
            Prediction p = model.predict(row);
            assertThat(p.label()).isIn("good", "bad");
            assertThat(p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void everyCustomerIsScoredIntoTheTableByTheChampion() throws Exception {
        ModelVersion champion = store.registry().getModelVersionByAlias("credit-risk", "champion");
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("scores.db"));
             var rows = db.createStatement().executeQuery(
                     "select count(*), count(distinct customer_id), min(model_version), max(model_version),"
                             + " sum(label in ('good', 'bad')), min(probability), max(probability) from customer_scores")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(1000);
            assertThat(rows.getLong(2)).isEqualTo(1000);
            assertThat(rows.getString(3)).isEqualTo(Long.toString(champion.version()));
            assertThat(rows.getString(4)).isEqualTo(Long.toString(champion.version()));
            assertThat(rows.getLong(5)).isEqualTo(1000);
            assertThat(rows.getDouble(6)).isBetween(0.0, 1.0);
            assertThat(rows.getDouble(7)).isBetween(0.0, 1.0);
        }
    }

    /** The monitoring stage's nights, read back through the service the server ran: oldest first, today's window last. */
    private static List<dev.cairn.monitor.WindowMetrics> nights(dev.cairn.monitor.Monitoring monitoring) {
        return monitoring.windows("credit-risk", dev.cairn.monitor.window.WindowSize.DAY, null, null, null).stream()
                .map(dev.cairn.monitor.Monitoring.WindowResult::metrics).toList();
    }

    private static dev.cairn.monitor.Monitoring monitoring() {
        return new dev.cairn.monitor.Monitoring(dev.cairn.monitor.Monitoring.Settings.under(home.resolve("serving")),
                new dev.cairn.monitor.ReferenceLoader(dev.cairn.train.tracking.Tracking.of(store))::load, List.of(), null,
                java.time.Clock.systemUTC());
    }

    @Test
    void theMonitorSeesTheShiftTheRefusalsAndFiresItsAlerts() {
        try (var monitoring = monitoring()) {
            var nights = nights(monitoring);
            int shift = MonitorStage.DRIFT_FROM;
            assertThat(nights).hasSizeGreaterThanOrEqualTo(MonitorStage.NIGHTS + 1);
            for (int n = 1; n < shift; n++) assertThat(nights.get(n).get("drift.share")).as("night %d", n).isLessThan(0.3);
            for (int n = shift; n <= MonitorStage.NIGHTS; n++) {
                assertThat(nights.get(n).get("drift.share")).as("night %d", n).isGreaterThanOrEqualTo(0.3);
                assertThat(nights.get(n).get("volume.refused.purpose")).as("night %d", n).isPositive();
            }
            var rules = monitoring.history("credit-risk", 100).stream()
                    .filter(e -> e.state() == dev.cairn.monitor.alert.AlertState.FIRING).map(e -> e.rule()).toList();
            assertThat(rules).contains("input-drift", "estimated-precision-low", "refused-requests");
        }
        assertThat(store.registry().listAuditEvents("credit-risk", 1000, null).items())
                .anySatisfy(e -> assertThat(e.action()).isEqualTo(AuditAction.ALERT_FIRING));
        assertThat(home.resolve("monitoring-report.html")).content().contains("<svg");
    }

    /**
     * CBPE checked on held-out data: the nights are drawn from the customers the model never saw; their labels
     * are held back until the estimate is made, and the realized precision must fall within the estimate's
     * interval (95%) on most labeled nights. Precision is also estimated lower after the shift than before it,
     * before any label of the last nights has arrived.
     */
    @Test
    void estimatedPrecisionHoldsTheRealizedValueOnHeldOutNightsAndFallsBeforeTheLabelsArrive() {
        try (var monitoring = monitoring()) {
            var nights = nights(monitoring);
            int labeled = MonitorStage.NIGHTS - MonitorStage.LABEL_DELAY_NIGHTS;
            int covered = 0;
            for (int n = 0; n <= labeled; n++) {
                var w = nights.get(n);
                assertThat(w.get("labels.coverage")).as("night %d", n).isEqualTo(1.0);
                double realized = w.get("realized.precision");
                if (realized >= w.get("estimated.precision.lower") && realized <= w.get("estimated.precision.upper")) covered++;
            }
            assertThat(covered).as("labeled nights whose realized precision is inside the interval").isGreaterThanOrEqualTo(labeled);
            for (int n = labeled + 1; n <= MonitorStage.NIGHTS; n++) {
                assertThat(nights.get(n).get("labels.coverage")).isZero();
                assertThat(nights.get(n).get("realized.precision")).isNull();
            }
            double before = java.util.stream.IntStream.range(1, MonitorStage.DRIFT_FROM)
                    .mapToDouble(n -> nights.get(n).get("estimated.precision")).average().orElseThrow();
            for (int n = MonitorStage.DRIFT_FROM; n <= MonitorStage.NIGHTS; n++) {
                assertThat(nights.get(n).get("estimated.precision")).as("night %d", n).isLessThan(before);
            }
        }
    }
}

package dev.cairn.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Main;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.evaluation.Holdout;
import dev.cairn.train.tracking.Tracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
    static final Path CREDIT = Path.of("../examples/credit-risk/credit-g.csv").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path test;

    record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void trainAndRegister() {
        Holdout.Parts files = Holdout.split(CREDIT, "class", 0.3, 7, dir.resolve("data"));
        test = files.test();
        try (MetadataStore store = Stores.openMetadata(storeUri(), artifacts())) {
            Tracking tracking = Tracking.of(store);
            TrainSpec spec = TrainSpec.of(files.train(), "class").withDrop(List.of("customer_id")).withExperiment("credit-risk");
            var xgboost = Training.train(spec.withParam("num_boost_round", 15), tracking);
            var baseline = Training.train(spec.withAlgorithm("baseline"), tracking);
            Training.register(tracking, xgboost.runId(), "credit", "champion");
            Training.register(tracking, baseline.runId(), "credit", null);
        }
    }

    static String storeUri() {
        return "sqlite:" + dir.resolve("cairn.db");
    }

    static String artifacts() {
        return dir.resolve("artifacts").toUri().toString();
    }

    /** The cairn command line with this command added, as the lead registers it in Main. */
    static synchronized Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("evaluate", "--store", storeUri(), "--artifacts", artifacts()));
        all.addAll(List.of(args));
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            if (!cli.getSubcommands().containsKey("evaluate")) cli.addSubcommand(new EvaluateCommand());
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(all.toArray(String[]::new));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    @DisplayName("cairn evaluate prints the report's path and the verdict, and the report file exists")
    void evaluatesAgainstTheChampion() {
        Result r = run("--model", "models:/credit/2", "--data", test.toString(), "--label", "class", "--positive-class", "bad",
                "--business-metric", "precision", "--against", "champion", "-t", "roc_auc>=0.7", "-t", "change:precision>=-0.01",
                "--sensitive", "personal_status,foreign_worker,age:25,40,60", "--slice", "purpose");
        assertThat(r.exitCode()).as("NOT BLESSED exits 1 so a pipeline stops: " + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("NOT BLESSED", "roc_auc>=0.7", "change:precision>=-0.01", "FAIL", "precision = ");
        String report = r.out().lines().filter(l -> l.startsWith("Report: ")).findFirst().orElseThrow().substring("Report: ".length());
        assertThat(Path.of(report)).exists().hasFileName("report.html");
    }

    @Test
    @DisplayName("--promote refuses an unblessed candidate with exit code 1 naming the failed thresholds; --force needs a reason (exit 2, before anything runs)")
    void promotionIsGated() {
        Result refused = run("--model", "models:/credit/2", "--data", test.toString(), "--label", "class", "--positive-class", "bad",
                "-t", "roc_auc>=0.7", "--promote");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("NOT BLESSED");
        assertThat(refused.err()).contains("not promoted", "not blessed", "roc_auc>=0.7");
        Result noReason = run("--model", "models:/credit/2", "--data", test.toString(), "--label", "class", "--positive-class", "bad",
                "-t", "roc_auc>=0.7", "--promote", "--force");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("reason");
        assertThat(noReason.out()).isEmpty();
    }

    @Test
    @DisplayName("with no thresholds, a majority-class baseline against an XGBoost champion is NOT BLESSED, exits 1 and --promote moves nothing")
    void baselineIsNotBlessedByDefault() {
        try (MetadataStore store = Stores.openMetadata(storeUri(), artifacts())) {
            assertThat(store.registry().getModelVersionByAlias("credit", "champion").version()).isEqualTo(1);
        }
        Result r = run("--model", "models:/credit/2", "--data", test.toString(), "--label", "class", "--positive-class", "bad", "--promote");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("NOT BLESSED", "default: roc_auc not worse than the champion's", "FAIL", "worse than the champion");
        assertThat(r.err()).contains("not promoted");
        try (MetadataStore store = Stores.openMetadata(storeUri(), artifacts())) {
            assertThat(store.registry().getModelVersionByAlias("credit", "champion").version()).isEqualTo(1);
            assertThat(store.registry().listAuditEvents("credit", 100, null).items())
                    .noneMatch(e -> e.action() == dev.cairn.core.registry.AuditAction.PROMOTION_FORCED && Long.valueOf(2).equals(e.version()));
        }
    }

    @Test
    @DisplayName("the terminal verdict shows each sensitive column's disparate impact, groups too small to judge and a four-fifths violation, "
            + "and promoting despite the violation needs --reason, audited as forced")
    void fairnessIsPrintedInTheVerdict() {
        String[] args = {"--model", "models:/credit/1", "--data", test.toString(), "--label", "class", "--positive-class", "bad",
                "--sensitive", "foreign_worker,age:25,40,60", "--against", "none-yet", "--promote"};
        Result r = run(args);
        // Blessed (no champion under that alias, no thresholds), but age breaks the four-fifths rule: the promotion waits for a reason.
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("BLESSED", "fairness foreign_worker: disparate impact n/a (fewer than two groups of at least 30 rows",
                "too small to judge (under 30 rows): no (11)", "fairness age: disparate impact 0.3133 BREAKS THE FOUR-FIFTHS RULE ('40–60' vs '<25')",
                "FAIRNESS: age");
        assertThat(r.err()).contains("not promoted", "four-fifths", "reason");
        try (MetadataStore store = Stores.openMetadata(storeUri(), artifacts())) {
            assertThat(store.registry().getModelVersion("credit", 1).aliases()).doesNotContain("none-yet");
        }

        List<String> withReason = new ArrayList<>(List.of(args));
        withReason.addAll(List.of("--reason", "age is a lawful factor for this product; reviewed by legal"));
        Result forced = run(withReason.toArray(String[]::new));
        assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
        assertThat(forced.out()).contains("Promoted credit version 1 to 'none-yet'");
        try (MetadataStore store = Stores.openMetadata(storeUri(), artifacts())) {
            assertThat(store.registry().getModelVersionByAlias("credit", "none-yet").version()).isEqualTo(1);
            assertThat(store.registry().listAuditEvents("credit", 100, null).items()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo(dev.cairn.core.registry.AuditAction.PROMOTION_FORCED);
                assertThat(e.comment()).contains("four-fifths", "age", "reviewed by legal");
            });
        }
    }

    @Test
    @DisplayName("--json gives the verdict and the report locations for scripts")
    void jsonOutput() {
        Result r = run("--model", "models:/credit@champion", "--data", test.toString(), "--label", "class", "--positive-class", "bad",
                "--threshold-target", "recall@precision>=0.6", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"blessed\" : true", "\"report_json_uri\"", "\"thresholded_model_uri\"");
    }

    @Test
    @DisplayName("bad input exits with code 2 and a message naming the column or metric")
    void badInput() throws Exception {
        Result sensitive = run("--model", "models:/credit/1", "--data", test.toString(), "--label", "class", "--sensitive", "gender");
        assertThat(sensitive.exitCode()).isEqualTo(2);
        assertThat(sensitive.err()).contains("gender", "sensitive");
        Result metric = run("--model", "models:/credit/1", "--data", test.toString(), "--label", "class", "-t", "acuracy>=0.7");
        assertThat(metric.exitCode()).isEqualTo(2);
        assertThat(metric.err()).contains("acuracy");
        Result label = run("--model", "models:/credit/1", "--data", test.toString(), "--label", "target");
        assertThat(label.exitCode()).isEqualTo(2);
        assertThat(label.err()).contains("'target'", "label");
        assertThat(Files.exists(test)).isTrue();
    }
}

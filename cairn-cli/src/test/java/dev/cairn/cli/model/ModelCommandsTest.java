package dev.cairn.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.cli.quickstart.QuickstartCommand;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.examples.embedding.CreditScorer;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.store.CairnHome;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cairn models register | predict | download} and {@code cairn reproduce} on what the
 * README's main command ({@code cairn quickstart}) leaves behind, run once for the class; and the
 * issue's done-when: the champion loads and predicts in a JVM holding only cairn-runtime.
 */
class ModelCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk");

    @TempDir static Path home;
    static MetadataStore store;
    static ModelVersion champion;
    static Path championCopy;

    @BeforeAll
    static void runQuickstart() {
        System.setProperty("cairn.home", home.toString());
        int exit = new CommandLine(new QuickstartCommand()).execute("--exit", "--port", "0", "--example", EXAMPLE.toString());
        assertThat(exit).as("cairn quickstart").isZero();
        store = Stores.openMetadata(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot());
        champion = store.registry().getModelVersionByAlias("credit-risk", "champion");
        championCopy = home.resolve("champion");
        CliRunner.Result download = CliRunner.run("models", "download", "models:/credit-risk@champion", "--to", championCopy.toString());
        assertThat(download.exitCode()).as(download.err()).isZero();
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
        System.clearProperty("cairn.home");
    }

    @Test
    @DisplayName("models download writes the champion as a package holding only model.yaml and its files, which loads")
    void downloadWritesALoadablePackage() throws Exception {
        try (var files = Files.list(championCopy)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.yaml", "model.ubj");
        }
        Path zip = home.resolve("champion.zip");
        assertThat(CliRunner.run("models", "download", "models:/credit-risk@champion", "--to", zip.toString()).exitCode()).isZero();
        try (Model fromZip = Models.load(zip); Model fromDir = Models.load(championCopy)) {
            assertThat(fromZip.predict(CreditScorer.exampleCustomer())).isEqualTo(fromDir.predict(CreditScorer.exampleCustomer()));
        }
        CliRunner.Result again = CliRunner.run("models", "download", "models:/credit-risk@champion", "--to", championCopy.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("'to'").contains("does not exist yet");
    }

    @Test
    @DisplayName("models predict prints label and probabilities per row of a JSON array, as the runtime predicts them")
    void predictPrintsEveryRowOfAJsonArray() throws Exception {
        Path rows = home.resolve("rows.json");
        // The champion's signature comes from the reviewed schema: every field is required.
        Map<String, Object> second = new java.util.HashMap<>(CreditScorer.exampleCustomer());
        second.putAll(Map.of("checking_status", "0<=X<200", "duration", 48, "credit_amount", 5951, "age", 22));
        JSON.writeValue(rows.toFile(), List.of(CreditScorer.exampleCustomer(), second));

        CliRunner.Result table = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", rows.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("ROW", "LABEL", "P(good)", "P(bad)");
        try (Model model = Models.load(championCopy)) {
            List<Prediction> expected = model.predict(List.of(CreditScorer.exampleCustomer(), second));
            for (int i = 0; i < 2; i++) {
                Prediction p = expected.get(i);
                assertThat(lines.get(i + 1).split("\\s+")).containsExactly(Integer.toString(i + 1), p.label(),
                        String.format(Locale.ROOT, "%.4f", p.probability("good")), String.format(Locale.ROOT, "%.4f", p.probability("bad")));
            }

            CliRunner.Result json = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", rows.toString(),
                    "--json", "--explain");
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode predictions = JSON.readTree(json.out()).get("predictions");
            assertThat(predictions).hasSize(2);
            Prediction explained = model.explain(second);
            JsonNode row2 = predictions.get(1);
            assertThat(row2.get("row").asInt()).isEqualTo(2);
            assertThat(row2.get("label").asText()).isEqualTo(explained.label());
            assertThat(row2.get("probabilities").get("bad").asDouble()).isEqualTo(explained.probability("bad"));
            assertThat(row2.get("contributions").get("duration").asDouble()).isEqualTo(explained.contributions().get("duration"));
            // Contributions are on the log-odds scale and add up to the margin of the positive class.
            double margin = 0;
            for (var it = row2.get("contributions").properties().iterator(); it.hasNext(); ) margin += it.next().getValue().asDouble();
            assertThat(1 / (1 + Math.exp(-margin))).isCloseTo(explained.probability("bad"), within(1e-5));
        }
    }

    @Test
    @DisplayName("models predict reads CSV rows of the example data, converting text to the signature's types")
    void predictReadsCsv() throws Exception {
        Path csv = home.resolve("customers.txt");
        List<String> head = Files.readAllLines(EXAMPLE.resolve("credit-g.csv")).subList(0, 4);
        Files.write(csv, head);
        CliRunner.Result result = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", csv.toString(),
                "--format", "CSV", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode predictions = JSON.readTree(result.out()).get("predictions");
        assertThat(predictions).hasSize(3);
        try (Model model = Models.load(championCopy)) {
            // The first data row of credit-g.csv is the example customer.
            Prediction first = model.predict(CreditScorer.exampleCustomer());
            assertThat(predictions.get(0).get("label").asText()).isEqualTo(first.label());
            assertThat(predictions.get(0).get("probabilities").get("good").asDouble()).isEqualTo(first.probability("good"));
        }
    }

    @Test
    @DisplayName("a row that does not match the signature gives one stderr line naming the row and field, and exit code 2")
    void badInputNamesTheRowAndField() throws Exception {
        Path rows = home.resolve("bad.json");
        Map<String, Object> six = new java.util.HashMap<>(CreditScorer.exampleCustomer());
        six.put("duration", "six");
        JSON.writeValue(rows.toFile(), List.of(CreditScorer.exampleCustomer(), six));
        CliRunner.Result result = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", rows.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).doesNotContain("\n").contains("row 2").contains("'duration'").contains("'six'")
                .contains("expected an integer");

        Path broken = home.resolve("broken.json");
        Files.writeString(broken, "[{\"duration\": 6");
        CliRunner.Result notJson = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", broken.toString());
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err()).contains("not valid JSON").contains("line 1");

        Path scalar = home.resolve("scalar.json");
        Files.writeString(scalar, "[{\"duration\": 6}, 7]");
        CliRunner.Result notObject = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", scalar.toString());
        assertThat(notObject.exitCode()).isEqualTo(2);
        assertThat(notObject.err()).contains("input row 2");

        Path wrapped = home.resolve("wrapped.json");
        Files.writeString(wrapped, "{\"dataframe_records\": [{\"duration\": 6}]}");
        CliRunner.Result noInputs = CliRunner.run("models", "predict", "--model", "models:/credit-risk@champion", "--input", wrapped.toString());
        assertThat(noInputs.exitCode()).as("a row naming none of the inputs is not scored as all-missing").isEqualTo(2);
        assertThat(noInputs.err()).contains("row 1").contains("dataframe_records").contains("at least one of the model's inputs");
    }

    @Test
    @DisplayName("models reference gives the champion a monitoring reference in its run, once unless --replace")
    void referenceForAnExistingVersion() throws Exception {
        String data = EXAMPLE.resolve("credit-g.csv").toString();
        CliRunner.Result first = CliRunner.run("models", "reference", "models:/credit-risk@champion", "--data", data, "--label", "class",
                "--replace");
        assertThat(first.exitCode()).as(first.err()).isZero();
        String runId = store.registry().getModelVersionByAlias("credit-risk", "champion").runId();
        var artifacts = store.runArtifacts(store.runs().getRun(runId).info());
        List<String> predictions;
        try (var in = artifacts.open(dev.cairn.train.run.ReferenceData.PREDICTIONS)) {
            predictions = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(predictions).hasSize(1001).first().isEqualTo("label,score");
        assertThat(artifacts.exists(dev.cairn.train.run.ReferenceData.PROFILE)).isTrue();

        CliRunner.Result again = CliRunner.run("models", "reference", "models:/credit-risk@champion", "--data", data);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("'replace'").contains(runId);
    }

    @Test
    @DisplayName("models predict --server loads the model through a running Cairn server")
    void predictThroughAServer() throws Exception {
        Path rows = home.resolve("one.json");
        JSON.writeValue(rows.toFile(), CreditScorer.exampleCustomer());
        try (var server = ServerMain.start(new ServerOptions(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot(), "127.0.0.1", 0));
             Model model = Models.load(championCopy)) {
            CliRunner.Result result = CliRunner.run("models", "predict", "--server", server.url(), "--model", "models:/credit-risk@champion",
                    "--input", rows.toString(), "--json");
            assertThat(result.exitCode()).as(result.err()).isZero();
            JsonNode p = JSON.readTree(result.out()).get("predictions").get(0);
            Prediction expected = model.predict(CreditScorer.exampleCustomer());
            assertThat(p.get("label").asText()).isEqualTo(expected.label());
            assertThat(p.get("probabilities").get("good").asDouble()).isEqualTo(expected.probability("good"));
        }
    }

    @Test
    @DisplayName("models register makes a run's package the next version with its description and alias; a non-package is refused with nothing written")
    void registerFromARunSource() {
        ModelVersion candidate = store.registry().getModelVersion("credit-risk", champion.version() - 1);
        String source = "runs:/" + candidate.runId() + "/model";
        CliRunner.Result result = CliRunner.run("models", "register", "--name", "credit-risk-copy", "--source", source,
                "--description", "copied for the audit", "--alias", "staging");
        assertThat(result.exitCode()).as(result.err()).isZero();
        ModelVersion registered = store.registry().getModelVersionByAlias("credit-risk-copy", "staging");
        assertThat(registered.source()).isEqualTo(source);
        assertThat(registered.runId()).isEqualTo(candidate.runId());
        assertThat(registered.description()).isEqualTo("copied for the audit");

        CliRunner.Result notAPackage = CliRunner.run("models", "register", "--name", "credit-risk-copy", "--source", "runs:/" + candidate.runId() + "/nothing");
        assertThat(notAPackage.exitCode()).isEqualTo(2);
        assertThat(notAPackage.err()).contains("runs:/" + candidate.runId() + "/nothing").contains("not a valid model package");
        CliRunner.Result unknownRun = CliRunner.run("models", "register", "--name", "credit-risk-copy", "--run-id", "0123456789abcdef0123456789abcdef");
        assertThat(unknownRun.exitCode()).isEqualTo(2);
        assertThat(store.registry().searchModelVersions("name = 'credit-risk-copy'", List.of(), 100, null).items())
                .as("nothing registered by the refused calls").hasSize(1);
    }

    @Test
    @DisplayName("models register records a local package directory as an absolute file: URI that predicts from anywhere; a zip is refused")
    void registerALocalDirectory() throws Exception {
        CliRunner.Result result = CliRunner.run("models", "register", "--name", "credit-risk-local", "--source", championCopy.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        ModelVersion version = store.registry().getModelVersion("credit-risk-local", JSON.readTree(result.out()).get("version").asLong());
        assertThat(version.source()).isEqualTo(championCopy.toAbsolutePath().toUri().toString());

        Path rows = home.resolve("local.json");
        JSON.writeValue(rows.toFile(), CreditScorer.exampleCustomer());
        CliRunner.Result predicted = CliRunner.run("models", "predict", "--model", "models:/credit-risk-local/" + version.version(),
                "--input", rows.toString(), "--json");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        try (Model model = Models.load(championCopy)) {
            assertThat(JSON.readTree(predicted.out()).get("predictions").get(0).get("probabilities").get("bad").asDouble())
                    .isEqualTo(model.predict(CreditScorer.exampleCustomer()).probability("bad"));
        }

        Path zip = home.resolve("to-register.zip");
        assertThat(CliRunner.run("models", "download", "models:/credit-risk@champion", "--to", zip.toString()).exitCode()).isZero();
        CliRunner.Result zipped = CliRunner.run("models", "register", "--name", "credit-risk-local", "--source", zip.toString());
        assertThat(zipped.exitCode()).isEqualTo(2);
        assertThat(zipped.err()).contains("unzip");
    }

    @Test
    @DisplayName("cairn reproduce says the quickstart's model run retrains byte-identical")
    void theModelRunReproducesByteIdentical() {
        ModelVersion candidate = store.registry().getModelVersion("credit-risk", champion.version() - 1);
        CliRunner.Result result = CliRunner.run("reproduce", candidate.runId());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("byte-identical");
    }

    @Test
    void theChampionsEvaluationRunReproducesThroughTheCandidatesTrainingRun() {
        CliRunner.Result result = CliRunner.run("reproduce", champion.runId());
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("byte-identical");
    }

    @Test
    @DisplayName("the champion predicts in a plain Java program whose JVM holds only the example and cairn-runtime")
    void theChampionPredictsInAJvmWithOnlyTheRuntime() throws Exception {
        // The example module's build folder: where its jar (or classes) came from on this test's classpath.
        Path example = Path.of(CreditScorer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path buildDir = example.getParent();
        List<String> classpath = new ArrayList<>(List.of(example.toString()));
        classpath.addAll(List.of(Files.readString(buildDir.resolve("runtime-classpath.txt")).strip().split(File.pathSeparator)));
        assertThat(classpath).noneMatch(e -> e.matches(".*cairn-(store|server|client|train|data|cli)[^/\\\\]*"));
        assertThat(classpath).anyMatch(e -> e.contains("cairn-runtime"));

        Child ok = java(classpath, championCopy.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        try (Model model = Models.load(championCopy)) {
            Prediction p = model.predict(CreditScorer.exampleCustomer());
            assertThat(ok.out().lines().toList()).containsExactly("label: " + p.label(),
                    String.format(Locale.ROOT, "probability good: %.6f", p.probability("good")),
                    String.format(Locale.ROOT, "probability bad: %.6f", p.probability("bad")));
        }

        Child bad = java(classpath, championCopy.toString(), "{\"duration\": \"six\"}");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("invalid input: row 1, 'duration': got 'six', expected an integer");
    }

    record Child(int exitCode, String out, String err) {}

    private static Child java(List<String> classpath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, classpath), CreditScorer.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "child", ".out");
        Path err = Files.createTempFile(home, "child", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("CreditScorer did not finish in 2 minutes: " + Files.readString(err));
        }
        return new Child(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}

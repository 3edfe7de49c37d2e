package dev.cairn.cli.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CliRunner;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.Serving;
import dev.cairn.server.serving.ServingConfig;
import dev.cairn.server.serving.ServingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test of the one input contract: the same rows, written as each entry point's
 * clients write them, through the embedded runtime (typed values and CSV text), {@code /invocations}
 * (records, split and CSV), the Open Inference Protocol, {@code /api/v1/deployments/{name}/predict},
 * {@code cairn models predict} (JSON and CSV files) and {@code cairn score}; every entry point must
 * give the same prediction for a good row and refuse a bad row blaming the same field. The model is
 * trained by {@code cairn train} on data with a yes/no column, as a user's breast-cancer file has,
 * so a value exactly as it appears in the training data must be accepted everywhere.
 */
@DisplayName("Every prediction entry point accepts and refuses the same rows, with the same predictions")
class InputContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("node_caps", "age", "income", "purpose", "vip", "colour");
    private static final Pattern QUOTED = Pattern.compile("'([a-z_]+)'");

    /** A row as CSV cells (null = empty cell); JSON clients send numbers and booleans typed. */
    private record Case(String name, List<String> cells, String blamed) {}

    private static final List<Case> CASES = List.of(
            new Case("good", cells("yes", "35", "2500.5", "car", "true", "red"), null),
            new Case("good, other values", cells("no", "61", "7000", "education", "false", "blue"), null),
            new Case("missing required value", cells(null, "35", "2500.5", "car", "true", "red"), "node_caps"),
            new Case("wrong type", cells("yes", "abc", "2500.5", "car", "true", "red"), "age"),
            new Case("unknown category", cells("yes", "35", "2500.5", "yacht", "true", "red"), "purpose"),
            new Case("out of range (scored, warned)", cells("no", "95", "2500.5", "tv", "false", "red"), null));

    @TempDir static Path dir;
    static String store;
    static String artifacts;
    static Path model;
    static ServingServer server;
    static HttpClient http = HttpClient.newHttpClient();

    private static List<String> cells(String... values) {
        return java.util.Arrays.asList(values);
    }

    @BeforeAll
    static void trainAndServe() throws IOException {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        Path data = dir.resolve("train.csv");
        Files.writeString(data, trainingData());
        CliRunner.Result train = CliRunner.runOn(store, artifacts, "train", "--data", data.toString(), "--label", "class",
                "--drop", "id", "-p", "num_boost_round=20");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Matcher uri = Pattern.compile("model at (runs:/\\S+)").matcher(train.out());
        assertThat(uri.find()).as(train.out()).isTrue();
        model = dir.resolve("model");
        CliRunner.Result download = CliRunner.runOn(store, artifacts, "models", "download", uri.group(1), "--to", model.toString());
        assertThat(download.exitCode()).as(download.err()).isZero();

        ServingConfig config = ServingConfig.defaults(null).withAliasRefreshInterval(Duration.ZERO);
        server = new ServingServer(new Serving(config, null, null), "127.0.0.1", 0);
        server.start();
        server.deployAsync(DeploymentSpec.single("contract", model.toString()), "test").join();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    /** 400 patients: the label depends on every column; node_caps is yes/no as in the breast-cancer data. */
    private static String trainingData() {
        Random random = new Random(20261202L);
        String[] purposes = {"car", "tv", "education"};
        StringBuilder csv = new StringBuilder("id,node_caps,age,income,purpose,vip,class\n");
        for (int i = 0; i < 400; i++) {
            boolean caps = random.nextBoolean();
            int age = 20 + random.nextInt(51);
            double income = Math.round((1000 + random.nextDouble() * 8000) * 100) / 100.0;
            String purpose = purposes[random.nextInt(3)];
            boolean vip = random.nextInt(4) == 0;
            double score = (caps ? 1.0 : 0.0) + (age - 45) / 20.0 + (income - 5000) / 4000.0
                    + (purpose.equals("car") ? 0.5 : 0.0) + (vip ? 0.7 : 0.0) + random.nextGaussian() * 0.5;
            csv.append(String.format(Locale.ROOT, "%d,%s,%d,%.2f,%s,%s,%s%n", i, caps ? "yes" : "no", age, income, purpose,
                    vip, score > 0.6 ? "recur" : "no-recur"));
        }
        return csv.toString();
    }

    @Test
    @DisplayName("each row gets the same answer from the runtime, /invocations (records, split, CSV), OIP, /api/v1, models predict (JSON, CSV) and score")
    void everyEntryPointAgrees() throws Exception {
        try (Model loaded = Models.load(model)) {
            String positive = loaded.signature().output().classes().get(1);
            for (Case c : CASES) {
                Map<String, String> answers = new TreeMap<>();
                answers.put("runtime, typed values", runtime(loaded, typed(c), positive));
                answers.put("runtime, text values", runtime(loaded, text(c), positive));
                answers.put("/invocations dataframe_records", http("/invocations", records(c), "application/json", positive));
                answers.put("/invocations dataframe_split", http("/invocations", split(c), "application/json", positive));
                answers.put("/invocations text/csv", http("/invocations", csv(c), "text/csv", positive));
                answers.put("/v2 open inference protocol", http("/v2/models/contract/infer", oip(c), "application/json", positive));
                answers.put("/api/v1/deployments predict", http("/api/v1/deployments/contract/predict",
                        "{\"inputs\": [" + JSON.writeValueAsString(typed(c)) + "]}", "application/json", positive));
                answers.put("cairn models predict, JSON file", cliPredict(c, JSON.writeValueAsString(List.of(typed(c))), "json", positive));
                answers.put("cairn models predict, CSV file", cliPredict(c, csv(c), "csv", positive));
                answers.put("cairn score, CSV file", cliScore(c));

                String expected = c.blamed() == null ? answers.get("runtime, typed values") : "refused " + c.blamed();
                assertThat(answers).as(c.name()).allSatisfy((entry, answer) -> assertThat(answer).as(c.name() + " via " + entry)
                        .isEqualTo(expected));
                if (c.blamed() == null) assertThat(expected).startsWith("p=");
            }
        }
    }

    @Test
    @DisplayName("a value outside the observed range is scored with a warning that names it, on the runtime and over HTTP")
    void outOfRangeIsWarned() throws Exception {
        Case old = CASES.getLast();
        try (Model loaded = Models.load(model)) {
            Prediction p = loaded.predict(typed(old));
            assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w.field()).isEqualTo("age"));
        }
        JsonNode api = JSON.readTree(send("/api/v1/deployments/contract/predict",
                "{\"inputs\": [" + JSON.writeValueAsString(typed(old)) + "]}", "application/json").body());
        assertThat(api.at("/predictions/0/warnings/0/field").asText()).isEqualTo("age");
        assertThat(api.at("/predictions/0/warnings/0/row").asInt()).isEqualTo(1);
        JsonNode mlflow = JSON.readTree(send("/invocations", records(old), "application/json").body());
        assertThat(mlflow.at("/predictions/0/warnings/0/field").asText()).isEqualTo("age");
    }

    @Test
    @DisplayName("train's policy options are recorded in the signature: unknown categories scored, out-of-range numbers refused")
    void policiesAreConfigurable() throws IOException {
        Path data = dir.resolve("train.csv");
        CliRunner.Result bad = CliRunner.runOn(store, artifacts, "train", "--data", data.toString(), "--label", "class",
                "--unseen-categories", "ignore");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'unseen-categories'").contains("refuse or unknown");

        CliRunner.Result train = CliRunner.runOn(store, artifacts, "train", "--data", data.toString(), "--label", "class",
                "--drop", "id", "-p", "num_boost_round=5", "--unseen-categories", "unknown", "--out-of-range", "refuse");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Matcher uri = Pattern.compile("model at (runs:/\\S+)").matcher(train.out());
        assertThat(uri.find()).isTrue();
        Path permissive = dir.resolve("permissive");
        assertThat(CliRunner.runOn(store, artifacts, "models", "download", uri.group(1), "--to", permissive.toString()).exitCode()).isZero();
        try (Model loaded = Models.load(permissive)) {
            assertThat(loaded.signature().policy()).isEqualTo(new dev.cairn.runtime.pkg.InputPolicy(
                    dev.cairn.runtime.pkg.InputPolicy.UnseenCategory.UNKNOWN, dev.cairn.runtime.pkg.InputPolicy.OutOfRange.REFUSE));
            assertThat(runtime(loaded, typed(CASES.get(4)), "recur")).startsWith("p=");           // purpose 'yacht'
            assertThat(runtime(loaded, typed(CASES.get(5)), "recur")).isEqualTo("refused age");   // age 95
        }
    }

    @Test
    @DisplayName("cairn score blames one bad cell in a long file once, by its row, and refuses a ragged line naming it; nothing is written")
    void scoreReportsOneProblemPerBadCell() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", COLUMNS));
        for (int i = 0; i < 300; i++) lines.add(String.join(",", CASES.get(i % 2).cells()));
        lines.set(150, "yes,abc,2500.5,car,true,red");     // data row 150 (file line 151): one bad cell
        Path input = dir.resolve("long.csv");
        Path output = dir.resolve("long-scores.csv");
        Files.write(input, lines);
        CliRunner.Result result = CliRunner.runOn(store, artifacts, "score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertThat(result.exitCode()).as(result.out()).isEqualTo(2);
        assertThat(result.err()).contains("(1 problem)").contains("row 150, 'age': got 'abc', expected an integer");
        assertThat(output).doesNotExist();

        lines.set(150, "yes,35,2500.5");                    // a short line
        Files.write(input, lines);
        CliRunner.Result ragged = CliRunner.runOn(store, artifacts, "score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertThat(ragged.exitCode()).isEqualTo(2);
        assertThat(ragged.err()).contains("line 151").doesNotContain("SELECT").doesNotContain("read_csv");
        assertThat(ragged.err().strip().lines().count()).isEqualTo(1);
        assertThat(output).doesNotExist();
    }

    // ---- each entry point, as its clients call it ----

    private static String runtime(Model loaded, Map<String, Object> row, String positive) {
        try {
            return answer(loaded.predict(row).probability(positive));
        } catch (InvalidInputException e) {
            return "refused " + String.join(",", e.fields());
        }
    }

    private static String http(String path, String body, String contentType, String positive) throws Exception {
        HttpResponse<String> response = send(path, body, contentType);
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() == 400) {
            List<String> fields = new ArrayList<>();
            for (JsonNode e : json.at("/details/errors")) fields.add(e.get("field").asText());
            return "refused " + String.join(",", fields.stream().distinct().toList());
        }
        assertThat(response.statusCode()).as(path + " " + body + " -> " + response.body()).isEqualTo(200);
        if (path.startsWith("/v2/")) {
            for (JsonNode output : json.get("outputs")) {
                if (output.get("name").asText().equals("probabilities")) {
                    int k = 0;
                    for (JsonNode cls : output.at("/parameters/classes")) {
                        if (cls.asText().equals(positive)) return answer(output.get("data").get(k).asDouble());
                        k++;
                    }
                }
            }
            throw new AssertionError("no probabilities in " + response.body());
        }
        return answer(json.at("/predictions/0/probabilities/" + positive).asDouble());
    }

    private static HttpResponse<String> send(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cliPredict(Case c, String content, String extension, String positive) throws IOException {
        Path input = dir.resolve("row." + extension);
        Files.writeString(input, content);
        CliRunner.Result result = CliRunner.runOn(store, artifacts, "models", "predict", "--model", model.toString(), "--input", input.toString(), "--json");
        if (result.exitCode() != 0) return refusal(c, result);
        return answer(JSON.readTree(result.out()).at("/predictions/0/probabilities/" + positive).asDouble());
    }

    private static String cliScore(Case c) throws IOException {
        Path input = dir.resolve("rows.csv");
        Path output = dir.resolve("scores.csv");
        Files.writeString(input, csv(c));
        Files.deleteIfExists(output);
        CliRunner.Result result = CliRunner.runOn(store, artifacts, "score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString());
        if (result.exitCode() != 0) {
            assertThat(output).as("a refused scoring writes nothing").doesNotExist();
            return refusal(c, result);
        }
        List<String> lines = Files.readAllLines(output);
        List<String> header = List.of(lines.get(0).split(","));
        return answer(Double.parseDouble(lines.get(1).split(",")[header.indexOf("probability")]));
    }

    /** A CLI refusal: exit 2 and one line that names the blamed field (quoted) and no other input. */
    private static String refusal(Case c, CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip().lines().count()).as(result.err()).isEqualTo(1);
        List<String> named = new ArrayList<>();
        Matcher m = QUOTED.matcher(result.err());
        while (m.find()) if (COLUMNS.contains(m.group(1)) && !named.contains(m.group(1))) named.add(m.group(1));
        return "refused " + String.join(",", named);
    }

    /** Probabilities to 12 digits: CSV output goes through DuckDB's number formatting, everything else is exact. */
    private static String answer(double probability) {
        return String.format(Locale.ROOT, "p=%.12f", probability);
    }

    // ---- the same row, written as each client writes it ----

    private static Map<String, Object> text(Case c) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) row.put(COLUMNS.get(i), c.cells().get(i));
        return row;
    }

    /** As a JSON client sends it: numbers and booleans typed where the cell is one, a missing cell left out. */
    private static Map<String, Object> typed(Case c) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String cell = c.cells().get(i);
            if (cell != null) row.put(COLUMNS.get(i), typedValue(COLUMNS.get(i), cell));
        }
        return row;
    }

    private static Object typedValue(String column, String cell) {
        return switch (column) {
            case "age" -> cell.matches("-?\\d+") ? (Object) Long.parseLong(cell) : cell;
            case "income" -> Double.parseDouble(cell);
            case "vip" -> Boolean.parseBoolean(cell);
            default -> cell;
        };
    }

    private static String records(Case c) throws IOException {
        return "{\"dataframe_records\": [" + JSON.writeValueAsString(typed(c)) + "]}";
    }

    private static String split(Case c) throws IOException {
        List<Object> values = new ArrayList<>();
        for (String column : COLUMNS) values.add(typed(c).get(column));
        return JSON.writeValueAsString(Map.of("dataframe_split", Map.of("columns", COLUMNS, "data", List.of(values))));
    }

    private static String csv(Case c) {
        List<String> cells = c.cells().stream().map(v -> v == null ? "" : v).toList();
        return String.join(",", COLUMNS) + "\n" + String.join(",", cells) + "\n";
    }

    /** One tensor per column, each with the datatype of its typed values (BYTES where the client has text). */
    private static String oip(Case c) throws IOException {
        Map<String, Object> row = typed(c);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        for (String column : COLUMNS) {
            Object v = row.get(column);
            ObjectNode tensor = inputs.addObject();
            tensor.put("name", column);
            tensor.putArray("shape").add(1);
            tensor.put("datatype", v instanceof Long ? "INT64" : v instanceof Double ? "FP64" : v instanceof Boolean ? "BOOL" : "BYTES");
            tensor.set("data", JSON.valueToTree(java.util.Collections.singletonList(v)));
        }
        return JSON.writeValueAsString(body);
    }
}

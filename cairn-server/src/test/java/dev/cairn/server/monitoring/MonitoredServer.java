package dev.cairn.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A full {@code cairn server} ({@link ServerMain#start}) over a SQLite store in a temporary directory, with a
 * model trained over its own REST API on {@link CreditCustomers} (so its run holds the reference monitoring
 * needs), registered, and deployed as {@value #DEPLOYMENT} with the server's prediction log.
 */
final class MonitoredServer implements AutoCloseable {
    static final String DEPLOYMENT = "credit";
    static final String MODEL = "credit-model";
    static final String MONITORING = "/api/v1/monitoring/deployments/" + DEPLOYMENT;

    final ServerMain.RunningServer running;
    final Rest rest;
    final String runId;
    final Path servingHome;

    /** One predict request as sent, with the server's answer. */
    record Sent(String id, int day, Instant time, List<CreditCustomers.Customer> customers, int status, JsonNode answer) {
        boolean accepted() {
            return status == 200;
        }

        /** The id monitoring knows row {@code i} by: the request id, or {@code id#n} for the n-th row of a batch. */
        String rowId(int i) {
            return customers.size() == 1 ? id : id + "#" + (i + 1);
        }

        String predictedLabel(int i) {
            return answer.path("predictions").get(i).path("label").asText();
        }
    }

    private MonitoredServer(Path dir) throws IOException {
        // The training data is written under the server's one data root.
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0).withData(List.of(java.nio.file.Files.createDirectories(dir.resolve("data")).toString()), java.util.Map.of());
        running = ServerMain.start(options);
        servingHome = ServerMain.servingHome(options);
        try {
            rest = new Rest(running.url());
            Path data = CreditCustomers.trainingFile(dir.resolve("data"), 800, 11);
            ObjectNode train = Rest.JSON.createObjectNode().put("data", data.toString()).put("label", "class")
                    .put("positive_class", CreditCustomers.POSITIVE).put("experiment", "monitoring");
            train.putArray("drop").add("customer_id");
            train.putObject("params").put("num_boost_round", 20).put("max_depth", 3);
            Rest.Response trained = rest.post("/api/v1/training/runs", train.toString());
            assertThat(trained.status()).as(trained.body()).isEqualTo(201);
            runId = trained.json().path("run_id").asText();
            running.store().registry().createRegisteredModel(MODEL, "monitored in tests", List.of(), "alice");
            running.store().registry().createModelVersion(MODEL, "runs:/" + runId + "/model", runId, "trained on customers.csv",
                    List.of(), "alice");
            Rest.Response deployed = rest.send("PUT", "/api/v1/deployments/" + DEPLOYMENT,
                    "{\"targets\": [{\"model\": \"models:/" + MODEL + "/1\", \"weight\": 100}]}", "application/json", Map.of());
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
        } catch (RuntimeException | Error e) {
            running.close();
            throw e;
        }
    }

    static MonitoredServer start(Path dir) throws IOException {
        return new MonitoredServer(dir);
    }

    /** Taken once, so a test running over midnight UTC keeps the same days. */
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    /** Midnight UTC of day {@code k} of a six-day period ending yesterday (k = 0..5): every one of its windows has closed. */
    static Instant day(int k) {
        return TODAY.minusDays(6 - k).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** POSTs {@code customers} (one row, or an array of rows) to predict, logged at {@code time} under {@code id}. */
    Sent predict(String id, int day, Instant time, List<CreditCustomers.Customer> customers) {
        ObjectNode body = Rest.JSON.createObjectNode();
        if (customers.size() == 1) {
            body.set("inputs", Rest.JSON.valueToTree(customers.getFirst().row()));
        } else {
            ArrayNode rows = body.putArray("inputs");
            customers.forEach(c -> rows.add(Rest.JSON.valueToTree(c.row())));
        }
        Rest.Response r = rest.send("POST", "/api/v1/deployments/" + DEPLOYMENT + "/predict", body.toString(), "application/json",
                Map.of("X-Cairn-Prediction-Time", time.toString(), "X-Request-Id", id));
        return new Sent(id, day, time, customers, r.status(), r.json());
    }

    /** The labels of {@code sent}'s accepted rows as the body of POST /labels: each known 48 hours after its prediction. */
    static ObjectNode labels(List<Sent> sent) {
        ObjectNode body = Rest.JSON.createObjectNode().put("join_on", "request_id");
        ArrayNode labels = body.putArray("labels");
        for (Sent s : sent) {
            if (!s.accepted()) continue;
            for (int i = 0; i < s.customers().size(); i++) {
                labels.addObject().put("id", s.rowId(i)).put("label", s.customers().get(i).label())
                        .put("time", s.time().plusSeconds(48 * 3600).toString());
            }
        }
        return body;
    }

    static List<Sent> accepted(List<Sent> sent) {
        return new ArrayList<>(sent.stream().filter(Sent::accepted).toList());
    }

    @Override
    public void close() {
        running.close();
    }
}

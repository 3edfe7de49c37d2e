package dev.cairn.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.DataValidation;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.monitor.MetricNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Watches the champion through some simulated nights of traffic, in well under a minute: night 0
 * scores the whole book of customers; nights 1–4 see customers like the training data; from night 5 the
 * bank markets large loans to borderline customers (more of them, larger credit amounts — a covariate
 * shift, each customer keeping their true outcome) and a new purpose ({@code crypto}) appears, which the
 * model's contract refuses. Every request carries the night it is for ({@code X-Cairn-Prediction-Time});
 * labels arrive two nights late, so the last nights have only the estimate. The monitor shows the drift on
 * credit_amount, the refusals by field, estimated precision falling before realized precision confirms it,
 * and the alerts firing.
 */
final class MonitorStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DEPLOYMENT = "credit-risk";
    static final int NIGHTS = 7;
    static final int DRIFT_FROM = 5;
    static final int PER_NIGHT = 200;
    static final int LABEL_DELAY_NIGHTS = 2;

    static final String RULES = """
            # Alert rules of the quickstart's deployment: evaluated over closed day windows.
            window: day
            rules:
              - name: credit-amount-drift
                metric: drift.credit_amount.drifted
                comparison: ">="
                threshold: 1
                description: credit amounts no longer look like the training data
              - name: estimated-precision-low
                metric: estimated.precision
                comparison: "<"
                threshold: 0.5
                severity: critical
                description: CBPE expects fewer than half of the customers flagged bad to be bad
              - name: refused-requests
                metric: volume.refused_rate
                comparison: ">"
                threshold: 0.02
                description: more than 2% of requests break the model's input contract
            """;

    @Override
    public String title() {
        return "Monitor: " + NIGHTS + " nights of traffic, drift from night " + DRIFT_FROM + ", labels " + LABEL_DELAY_NIGHTS
                + " nights late; drift, estimated and realized precision, alerts";
    }

    @Override
    public void run(Example example) throws IOException, InterruptedException {
        if (example.championVersion == null) {
            example.say("no champion to monitor: no candidate has been blessed yet");
            return;
        }
        long started = System.nanoTime();
        String url = example.server.url();
        String base = url + "/api/v1/monitoring/deployments/" + DEPLOYMENT;
        HttpClient http = HttpClient.newHttpClient();
        send(http, "PUT", base + "/alerts", "application/yaml", RULES, 200);

        List<Map<String, Object>> customers = customers(example.data);
        // Nights end yesterday, so every night's window has closed and its alerts are evaluated.
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(NIGHTS + 1);
        Instant night0 = first.atStartOfDay(ZoneOffset.UTC).toInstant().plus(2, ChronoUnit.HOURS);

        // Night 0: the whole book, which also gives each customer's score for choosing the later nights' traffic.
        double[] scores = new double[customers.size()];
        for (int from = 0; from < customers.size(); from += 100) {
            List<Map<String, Object>> batch = customers.subList(from, Math.min(customers.size(), from + 100));
            ObjectNode body = JSON.createObjectNode();
            body.set("inputs", JSON.valueToTree(inputs(batch)));
            JsonNode answer = predict(http, url, body, night0, null, 200);
            for (int i = 0; i < batch.size(); i++) scores[from + i] = answer.path("predictions").get(i).path("probabilities").path(Example.POSITIVE_CLASS).asDouble();
        }
        List<ObjectNode> labels = new ArrayList<>();
        for (Map<String, Object> c : customers) labels.add(label(c, night0.plus(Duration.ofDays(LABEL_DELAY_NIGHTS))));

        int refused = 0;
        for (int night = 1; night <= NIGHTS; night++) {
            Instant at = night0.plus(Duration.ofDays(night));
            SplittableRandom random = new SplittableRandom(1000 + night);
            double[] weights = weights(customers, scores, night >= DRIFT_FROM);
            for (int k = 0; k < PER_NIGHT; k++) {
                int i = pick(weights, random);
                Map<String, Object> row = new LinkedHashMap<>(inputs(List.of(customers.get(i))).getFirst());
                boolean crypto = night >= DRIFT_FROM && random.nextDouble() < 0.08;
                if (crypto) row.put("purpose", "crypto");
                ObjectNode body = JSON.createObjectNode();
                body.set("inputs", JSON.valueToTree(row));
                String id = "night" + night + "-" + k + "-" + customers.get(i).get(Example.ID_COLUMN);
                predict(http, url, body, at.plusSeconds(k * 60L), id, crypto ? 400 : 200);
                if (crypto) {
                    refused++;
                } else if (night <= NIGHTS - LABEL_DELAY_NIGHTS) {
                    // The outcome becomes known two nights later; the last nights have none yet.
                    ObjectNode l = label(customers.get(i), at.plus(Duration.ofDays(LABEL_DELAY_NIGHTS)));
                    l.put("id", id);
                    labels.add(l);
                }
            }
        }
        // Night 0's labels are joined on customer_id (a batch has no request ids to quote), the nights' on request ids.
        postLabels(http, base, "customer_id", labels.subList(0, customers.size()));
        postLabels(http, base, "request_id", labels.subList(customers.size(), labels.size()));
        example.say(String.format(Locale.ROOT, "sent night 0 (%d customers) and %d nights of %d requests (%d refused for purpose 'crypto'),"
                + " labels for nights 0-%d", customers.size(), NIGHTS, PER_NIGHT, refused, NIGHTS - LABEL_DELAY_NIGHTS));

        JsonNode refresh = send(http, "POST", base + "/refresh", "application/json", "", 200);
        JsonNode windows = send(http, "GET", base + "/windows", null, null, 200).path("windows");
        example.say("night  rows  refused  drift share  credit_amount  est. precision [interval]  realized precision  label coverage");
        int night = 0;
        for (JsonNode w : windows) {
            JsonNode m = w.path("values");
            example.say(String.format(Locale.ROOT, "%5d  %4d  %7s  %11s  %13s  %26s  %18s  %14s", night++, m.path(MetricNames.ROWS).asLong(),
                    pct(m, MetricNames.REFUSED_RATE), num(m, MetricNames.DRIFT_SHARE),
                    m.path(MetricNames.drifted("credit_amount")).asDouble() == 1 ? "DRIFTED" : "ok",
                    num(m, MetricNames.estimated("precision")) + " [" + num(m, MetricNames.estimated("precision") + MetricNames.LOWER_SUFFIX)
                            + ", " + num(m, MetricNames.estimated("precision") + MetricNames.UPPER_SUFFIX) + "]",
                    num(m, MetricNames.realized("precision")), pct(m, MetricNames.LABEL_COVERAGE)));
        }
        for (JsonNode t : refresh.path("transitions")) {
            example.say("alert " + t.path("state").asText() + ": " + t.path("rule").asText() + " (" + t.path("metric").asText() + " = "
                    + String.format(Locale.ROOT, "%.3f", t.path("value").asDouble()) + ") in the window from " + t.path("window_start").asText());
        }
        String html = send(http, "GET", base + "/report", null, null, 200, false);
        Path report = example.home.resolve("monitoring-report.html");
        Files.writeString(report, html);
        example.say(String.format(Locale.ROOT, "monitored in %.1f s", (System.nanoTime() - started) / 1e9));
        example.pointTo("monitoring report", report.toString() + "  (also: " + base + "/report, cairn monitor status)");
    }

    /**
     * Sampling weights: uniform before the drift; after it, borderline customers (a score near the decision
     * region) and large loans are marketed to, so they come far more often.
     */
    static double[] weights(List<Map<String, Object>> customers, double[] scores, boolean drifted) {
        double[] w = new double[customers.size()];
        for (int i = 0; i < w.length; i++) {
            if (!drifted) {
                w[i] = 1;
                continue;
            }
            double amount = ((Number) customers.get(i).get("credit_amount")).doubleValue();
            double borderline = Math.exp(-Math.pow((scores[i] - 0.45) / 0.15, 2));
            w[i] = (0.05 + borderline) * (amount > 4000 ? 4 : amount > 2500 ? 1.5 : 0.3);
        }
        return w;
    }

    static int pick(double[] weights, SplittableRandom random) {
        double total = 0;
        for (double x : weights) total += x;
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u <= 0) return i;
        }
        return weights.length - 1;
    }

    private static List<Map<String, Object>> inputs(List<Map<String, Object>> customers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : customers) {
            Map<String, Object> row = new LinkedHashMap<>(c);
            row.remove(Example.LABEL);
            out.add(row);
        }
        return out;
    }

    private static ObjectNode label(Map<String, Object> customer, Instant known) {
        ObjectNode l = JSON.createObjectNode();
        l.put("id", String.valueOf(customer.get(Example.ID_COLUMN)));
        l.put("label", String.valueOf(customer.get(Example.LABEL)));
        l.put("time", known.toString());
        return l;
    }

    private static void postLabels(HttpClient http, String base, String joinOn, List<ObjectNode> labels) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("join_on", joinOn);
        ArrayNode array = body.putArray("labels");
        labels.forEach(array::add);
        send(http, "POST", base + "/labels", "application/json", JSON.writeValueAsString(body), 201);
    }

    private static JsonNode predict(HttpClient http, String url, ObjectNode body, Instant at, String requestId, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/api/v1/deployments/" + DEPLOYMENT + "/predict"))
                .header("Content-Type", "application/json").header("X-Cairn-Prediction-Time", at.toString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (requestId != null) request.header("X-Request-Id", requestId);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new CairnException(ErrorCode.INVALID_STATE, "predict answered " + response.statusCode() + " where " + expected
                    + " was expected: " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode send(HttpClient http, String method, String url, String type, String body, int expected)
            throws IOException, InterruptedException {
        return JSON.readTree(send(http, method, url, type, body, expected, true));
    }

    private static String send(HttpClient http, String method, String url, String type, String body, int expected, boolean unused)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-Cairn-User", "quickstart")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) request.header("Content-Type", type);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new CairnException(ErrorCode.INVALID_STATE, method + " " + url + " answered " + response.statusCode()
                    + " where " + expected + " was expected: " + response.body());
        }
        return response.body();
    }

    private static String num(JsonNode m, String metric) {
        return m.has(metric) ? String.format(Locale.ROOT, "%.3f", m.get(metric).asDouble()) : "-";
    }

    private static String pct(JsonNode m, String metric) {
        return m.has(metric) ? String.format(Locale.ROOT, "%.0f%%", 100 * m.get(metric).asDouble()) : "-";
    }

    /** The example's customers as rows of values, in file order, read by the one CSV reader. */
    static List<Map<String, Object>> customers(Path data) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (LoadedTable t = DataReader.open(DataValidation.file(data)); Statement s = t.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM " + t.relation())) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) row.put(meta.getColumnLabel(c), r.getObject(c));
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read " + data + ": " + e.getMessage(), e);
        }
        return rows;
    }
}

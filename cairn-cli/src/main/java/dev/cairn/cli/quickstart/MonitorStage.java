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
 * scores every held-out customer (the model never saw them); nights 1–4 see a sample of them like the
 * training data; from night 5 the bank markets to borderline customers (a covariate shift: the mix of
 * customers moves, each keeping their true outcome) and a new purpose ({@code crypto}) appears, which the
 * model's contract refuses. Every request carries the night it is for ({@code X-Cairn-Prediction-Time});
 * labels arrive two nights late, so the last nights have only the estimate. The monitor shows which inputs
 * drifted, the refusals by field, estimated precision falling before realized precision confirms it, and the
 * alerts firing.
 */
final class MonitorStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DEPLOYMENT = "credit-risk";
    static final int NIGHTS = 7;
    static final int DRIFT_FROM = 5;
    static final int PER_NIGHT = 150;
    static final int LABEL_DELAY_NIGHTS = 2;

    static final String RULES = """
            # Alert rules of the quickstart's deployment: evaluated over closed day windows.
            window: day
            rules:
              - name: input-drift
                metric: drift.share
                comparison: ">="
                threshold: 0.3
                description: almost a third of the inputs or more no longer look like the training data
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
        return "Monitor: " + NIGHTS + " nights of traffic, a shift from night " + DRIFT_FROM + ", labels " + LABEL_DELAY_NIGHTS
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
        Example.Requests http = example.requests();
        send(http, "PUT", base + "/alerts", "application/yaml", RULES, 200);

        // Traffic is drawn from the held-out customers only: the model never saw them, so the realized precision is
        // honest and CBPE's estimate can be checked against it.
        List<Map<String, Object>> customers = customers(example.heldOut);
        List<ObjectNode> labels = new ArrayList<>();
        // Nights end yesterday, so every night's window has closed and its alerts are evaluated.
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(NIGHTS + 1);
        Instant night0 = first.atStartOfDay(ZoneOffset.UTC).toInstant().plus(2, ChronoUnit.HOURS);

        // Night 0: every held-out customer, which also gives each one's score for choosing the later nights' traffic.
        double[] scores = new double[customers.size()];
        // The champion's decision threshold, as its answers show it: the lowest score it called bad.
        double threshold = 1;
        for (int from = 0; from < customers.size(); from += 100) {
            List<Map<String, Object>> batch = customers.subList(from, Math.min(customers.size(), from + 100));
            ObjectNode body = JSON.createObjectNode();
            body.set("inputs", JSON.valueToTree(inputs(batch)));
            String batchId = "night0-" + from;
            JsonNode answer = predict(http, url, body, night0, batchId, 200);
            for (int i = 0; i < batch.size(); i++) {
                JsonNode p = answer.path("predictions").get(i);
                scores[from + i] = p.path("probabilities").path(Example.POSITIVE_CLASS).asDouble();
                if (p.path("label").asText().equals(Example.POSITIVE_CLASS)) threshold = Math.min(threshold, scores[from + i]);
                // Row i of a request of several rows is known to monitoring as <request id>#<i+1>.
                ObjectNode l = label(batch.get(i), night0.plus(Duration.ofDays(LABEL_DELAY_NIGHTS)));
                l.put("id", batchId + "#" + (i + 1));
                labels.add(l);
            }
        }

        int refused = 0;
        for (int night = 1; night <= NIGHTS; night++) {
            Instant at = night0.plus(Duration.ofDays(night));
            SplittableRandom random = new SplittableRandom(1000 + night);
            // Ordinary nights: distinct customers. Shifted nights: borderline customers come back again and again.
            double[] shifted = weights(scores, threshold);
            List<Integer> chosen = night < DRIFT_FROM ? sample(uniform(scores.length), PER_NIGHT, random)
                    : java.util.stream.IntStream.range(0, PER_NIGHT).map(k -> pick(shifted, random)).boxed().toList();
            for (int k = 0; k < chosen.size(); k++) {
                int i = chosen.get(k);
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
        postLabels(http, base, "request_id", labels);
        example.say(String.format(Locale.ROOT, "sent night 0 (all %d held-out customers) and %d nights of %d requests (%d refused for purpose 'crypto'),"
                + " labels for nights 0-%d", customers.size(), NIGHTS, PER_NIGHT, refused, NIGHTS - LABEL_DELAY_NIGHTS));

        JsonNode refresh = send(http, "POST", base + "/refresh", "application/json", "", 200);
        JsonNode windows = send(http, "GET", base + "/windows", null, null, 200).path("windows");
        example.say("night       rows  refused  drift share  est. precision [interval]  realized precision  label coverage");
        for (JsonNode w : windows) {
            JsonNode m = w.path("values");
            example.say(String.format(Locale.ROOT, "%s  %4d  %7s  %11s  %26s  %18s  %14s", w.path("start").asText().substring(0, 10),
                    m.path(MetricNames.ROWS).asLong(),
                    pct(m, MetricNames.REFUSED_RATE), num(m, MetricNames.DRIFT_SHARE),
                    num(m, MetricNames.estimated("precision")) + " [" + num(m, MetricNames.estimated("precision") + MetricNames.LOWER_SUFFIX)
                            + ", " + num(m, MetricNames.estimated("precision") + MetricNames.UPPER_SUFFIX) + "]",
                    num(m, MetricNames.realized("precision")), pct(m, MetricNames.LABEL_COVERAGE)));
        }
        JsonNode shifted = windows.get(DRIFT_FROM).path("values");
        List<String> drifted = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        shifted.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (k.startsWith(MetricNames.DRIFT_PREFIX) && k.endsWith(MetricNames.DRIFTED_SUFFIX) && e.getValue().asDouble() == 1) {
                drifted.add(k.substring(MetricNames.DRIFT_PREFIX.length(), k.length() - MetricNames.DRIFTED_SUFFIX.length()));
            }
            if (k.startsWith("volume.refused.")) refusals.add(k.substring("volume.refused.".length()) + " " + e.getValue().asLong());
        });
        example.say("night " + DRIFT_FROM + ": drifted inputs " + drifted + "; refused requests by field " + refusals);
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
     * The shifted nights' sampling weights: the bank markets to borderline customers, those the champion calls
     * bad only just (a score a little above its threshold), so they come far more often. The choice depends on
     * the score alone, so a customer's outcome given the score is as in the reference: the shift CBPE is built for.
     */
    static double[] weights(double[] scores, double threshold) {
        double[] w = new double[scores.length];
        for (int i = 0; i < w.length; i++) w[i] = 0.05 + Math.exp(-Math.pow((scores[i] - threshold - 0.05) / 0.07, 2));
        return w;
    }

    static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
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

    /** {@code k} distinct customers drawn with probability in proportion to their weights (Efraimidis and Spirakis). */
    static List<Integer> sample(double[] weights, int k, SplittableRandom random) {
        Integer[] order = new Integer[weights.length];
        double[] keys = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            order[i] = i;
            keys[i] = Math.log(random.nextDouble()) / weights[i];
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
        return java.util.Arrays.asList(order).subList(0, Math.min(k, order.length));
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

    private static void postLabels(Example.Requests http, String base, String joinOn, List<ObjectNode> labels) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("join_on", joinOn);
        ArrayNode array = body.putArray("labels");
        labels.forEach(array::add);
        send(http, "POST", base + "/labels", "application/json", JSON.writeValueAsString(body), 201);
    }

    private static JsonNode predict(Example.Requests http, String url, ObjectNode body, Instant at, String requestId, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = http.to(url + "/api/v1/deployments/" + DEPLOYMENT + "/predict")
                .header("Content-Type", "application/json").header("X-Cairn-Prediction-Time", at.toString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (requestId != null) request.header("X-Request-Id", requestId);
        HttpResponse<String> response = http.send(request.build());
        if (response.statusCode() != expected) {
            throw new CairnException(ErrorCode.INVALID_STATE, "predict answered " + response.statusCode() + " where " + expected
                    + " was expected: " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode send(Example.Requests http, String method, String url, String type, String body, int expected)
            throws IOException, InterruptedException {
        return JSON.readTree(send(http, method, url, type, body, expected, true));
    }

    private static String send(Example.Requests http, String method, String url, String type, String body, int expected, boolean unused)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = http.to(url)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) request.header("Content-Type", type);
        HttpResponse<String> response = http.send(request.build());
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

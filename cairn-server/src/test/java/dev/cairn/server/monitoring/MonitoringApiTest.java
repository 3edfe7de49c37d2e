package dev.cairn.server.monitoring;

import static dev.cairn.server.monitoring.MonitoredServer.DEPLOYMENT;
import static dev.cairn.server.monitoring.MonitoredServer.MODEL;
import static dev.cairn.server.monitoring.MonitoredServer.MONITORING;
import static dev.cairn.server.monitoring.MonitoredServer.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.monitoring.CreditCustomers.Customer;
import dev.cairn.server.monitoring.MonitoredServer.Sent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring over REST end to end on a real {@code cairn server} (port 0, SQLite store in a temporary
 * directory): a trained model is deployed with the server's prediction log; six past days of traffic are
 * replayed with {@code X-Cairn-Prediction-Time} and {@code X-Request-Id} (days 2, 3 and 5 shifted, some
 * requests refused for a purpose outside the signature's domain on days 1 and 3); alert rules are PUT as YAML;
 * labels of days 0 and 1 are POSTed; the deployment is refreshed. Every number checked is known from what
 * was sent: rows, refusals by field, label coverage, the realized confusion counts, the alert episodes.
 */
@DisplayName("Monitoring REST API on a full server: windows, drift, estimated and realized performance, alerts, report, metrics, audit")
class MonitoringApiTest {
    static final int DAYS = 6;
    static final int SLOTS = 80;
    /** Days whose customers come from the shifted population. */
    static final boolean[] SHIFTED = {false, false, true, true, false, true};
    /** Slots refused on each day (purpose 'crypto', outside the signature's domain): 4/80 and 2/80 of requests. */
    static final int[] REFUSED = {0, 4, 0, 2, 0, 0};
    /** Day 0 sends its last three customers as one request of three rows. */
    static final int BATCH_SLOT = 77;

    static final String RULES = """
            window: day
            rules:
              - name: input-drift
                metric: drift.share
                comparison: ">="
                threshold: 0.5
                severity: critical
                description: half of the inputs or more no longer look like the training data
              - name: refused-requests
                metric: volume.refused_rate
                comparison: ">"
                threshold: 0.02
            """;

    @TempDir
    static Path dir;
    static MonitoredServer server;
    static Rest rest;
    static final List<Sent> SENT = new ArrayList<>();
    static JsonNode firstRefresh;

    @BeforeAll
    static void replayTrafficLabelAndRefresh() throws Exception {
        server = MonitoredServer.start(dir);
        rest = server.rest;
        for (int k = 0; k < DAYS; k++) {
            SplittableRandom r = new SplittableRandom(1_000 + k);
            int refusedToday = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                Instant at = day(k).plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10L * slot));
                String id = "d" + k + "-" + slot;
                if (k == 0 && slot == BATCH_SLOT) {
                    List<Customer> batch = List.of(CreditCustomers.customer(r, 1_000 * k + slot, SHIFTED[k]),
                            CreditCustomers.customer(r, 1_000 * k + slot + 1, SHIFTED[k]), CreditCustomers.customer(r, 1_000 * k + slot + 2, SHIFTED[k]));
                    SENT.add(check(server.predict(id, k, at, batch), 200));
                    break;
                }
                Customer c = CreditCustomers.customer(r, 1_000 * k + slot, SHIFTED[k]);
                if (slot % 20 == 5 && refusedToday < REFUSED[k]) {
                    refusedToday++;
                    c = new Customer(c.id(), c.age(), c.amount(), "crypto", c.label());
                    SENT.add(check(server.predict(id, k, at, List.of(c)), 400));
                } else {
                    SENT.add(check(server.predict(id, k, at, List.of(c)), 200));
                }
            }
        }
        Rest.Response put = rest.send("PUT", MONITORING + "/alerts", RULES, "application/yaml", Map.of());
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        List<Sent> labeled = new ArrayList<>(daySent(0).stream().filter(Sent::accepted).toList());
        List<Sent> day1 = daySent(1).stream().filter(Sent::accepted).toList();
        for (int i = 0; i < day1.size(); i += 2) labeled.add(day1.get(i));
        Rest.Response posted = rest.post(MONITORING + "/labels", MonitoredServer.labels(labeled).toString());
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        assertThat(posted.json().path("labels").asLong()).isEqualTo(80 + 38);
        assertThat(posted.json().path("join_on").asText()).isEqualTo("request_id");

        Rest.Response refreshed = rest.post(MONITORING + "/refresh", "");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        firstRefresh = refreshed.json();
    }

    private static Sent check(Sent s, int status) {
        assertThat(s.status()).as(s.id() + ": " + s.answer()).isEqualTo(status);
        if (status == 400) assertThat(s.answer().path("message").asText()).contains("purpose");
        return s;
    }

    static List<Sent> daySent(int k) {
        return SENT.stream().filter(s -> s.day() == k).toList();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static JsonNode windows(String query) {
        Rest.Response r = rest.get(MONITORING + "/windows" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonNode values(JsonNode windows, int k) {
        for (JsonNode w : windows.path("windows")) {
            if (Instant.parse(w.path("start").asText()).equals(day(k))) return w.path("values");
        }
        throw new AssertionError("no window starting " + day(k) + " in " + windows);
    }

    static void assertBadRequest(Rest.Response r, String field, String mentioned) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(r.field()).as(r.body()).isEqualTo(field);
        assertThat(r.json().path("message").asText()).contains(mentioned);
    }

    @Test
    @DisplayName("GET /windows: one day window per day with its rows, requests, refusals by field and no others")
    void oneWindowPerDayWithItsVolume() {
        JsonNode page = windows("");
        assertThat(page.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(page.path("window").asText()).isEqualTo("day");
        assertThat(page.path("windows")).hasSize(DAYS);
        for (int k = 0; k < DAYS; k++) {
            JsonNode w = page.path("windows").get(k);
            assertThat(Instant.parse(w.path("start").asText())).isEqualTo(day(k));
            assertThat(Instant.parse(w.path("end").asText())).isEqualTo(day(k + 1));
            assertThat(w.path("model").asText()).isEqualTo(MODEL);
            assertThat(w.path("model_version").asText()).isEqualTo("1");
            JsonNode v = w.path("values");
            long rows = daySent(k).stream().filter(Sent::accepted).mapToLong(s -> s.customers().size()).sum();
            long requests = daySent(k).stream().filter(Sent::accepted).count();
            assertThat(v.path("volume.rows").asDouble()).as("day %d rows", k).isEqualTo(rows);
            assertThat(v.path("volume.requests").asDouble()).as("day %d requests", k).isEqualTo(requests);
            assertThat(v.path("volume.refused").asDouble()).as("day %d refused", k).isEqualTo(REFUSED[k]);
            assertThat(v.path("volume.refused_rate").asDouble()).isEqualTo(REFUSED[k] / (double) (requests + REFUSED[k]));
            if (REFUSED[k] > 0) {
                assertThat(v.path("volume.refused.purpose").asDouble()).as("day %d refused for purpose", k).isEqualTo(REFUSED[k]);
            } else {
                assertThat(v.has("volume.refused.purpose")).isFalse();
            }
            assertThat(v.path("latency.p50_ms").isNumber()).isTrue();
        }
        assertThat(values(page, 0).path("volume.rows").asDouble()).as("day 0: 77 single rows and one request of 3").isEqualTo(80);
        assertThat(values(page, 0).path("volume.requests").asDouble()).isEqualTo(78);
    }

    @Test
    @DisplayName("drift metrics flag every input on the shifted days and leave the share below the alert threshold on the others")
    void driftMetricsPerFeature() {
        JsonNode page = windows("");
        for (int k = 0; k < DAYS; k++) {
            JsonNode v = values(page, k);
            for (String f : List.of("age", "amount", "purpose")) {
                assertThat(v.has("drift." + f)).as("day %d drift.%s in %s", k, f, v).isTrue();
                if (SHIFTED[k]) assertThat(v.path("drift." + f + ".drifted").asDouble()).as("day %d %s drifted", k, f).isEqualTo(1.0);
            }
            assertThat(v.has("drift.customer_id")).as("customer_id is no model input").isFalse();
            if (SHIFTED[k]) assertThat(v.path("drift.share").asDouble()).isEqualTo(1.0);
            else assertThat(v.path("drift.share").asDouble()).as("day %d drift share", k).isLessThan(0.5);
            assertThat(v.has("prediction_drift.score")).isTrue();
        }
    }

    @Test
    @DisplayName("estimated performance (CBPE) with .lower <= value <= .upper in every window: the model has validation predictions")
    void estimatedPerformanceWithIntervals() {
        JsonNode page = windows("");
        for (int k = 0; k < DAYS; k++) {
            JsonNode v = values(page, k);
            for (String metric : List.of("estimated.precision", "estimated.recall", "estimated.accuracy", "estimated.roc_auc")) {
                assertThat(v.has(metric)).as("day %d %s in %s", k, metric, v).isTrue();
                double value = v.path(metric).asDouble();
                assertThat(v.path(metric + ".lower").asDouble()).as("day %d %s.lower", k, metric).isLessThanOrEqualTo(value);
                assertThat(v.path(metric + ".upper").asDouble()).as("day %d %s.upper", k, metric).isGreaterThanOrEqualTo(value);
                assertThat(value).isBetween(0.0, 1.0);
            }
            // The estimated confusion counts add up to the window's rows (CBPE distributes every row).
            double total = v.path("estimated.true_positives").asDouble() + v.path("estimated.false_positives").asDouble()
                    + v.path("estimated.true_negatives").asDouble() + v.path("estimated.false_negatives").asDouble();
            assertThat(total).isCloseTo(v.path("volume.rows").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    @DisplayName("realized performance and label coverage only for the labeled days, with the exact confusion counts and 48 h lag")
    void realizedPerformanceForLabeledDaysOnly() {
        JsonNode page = windows("");
        JsonNode d0 = values(page, 0);
        assertThat(d0.path("labels.coverage").asDouble()).isEqualTo(1.0);
        assertThat(d0.path("labels.lag_hours").asDouble()).isEqualTo(48.0);
        assertRealizedCounts(d0, daySent(0).stream().filter(Sent::accepted).toList());

        JsonNode d1 = values(page, 1);
        List<Sent> day1 = daySent(1).stream().filter(Sent::accepted).toList();
        List<Sent> labeled1 = new ArrayList<>();
        for (int i = 0; i < day1.size(); i += 2) labeled1.add(day1.get(i));
        assertThat(d1.path("labels.coverage").asDouble()).isEqualTo(labeled1.size() / (double) day1.size()).isEqualTo(0.5);
        assertRealizedCounts(d1, labeled1);

        for (int k = 2; k < DAYS; k++) {
            JsonNode v = values(page, k);
            List<String> realized = new ArrayList<>();
            v.fieldNames().forEachRemaining(n -> {
                if (n.startsWith("realized.")) realized.add(n);
            });
            assertThat(realized).as("day %d has no labels", k).isEmpty();
            assertThat(v.has("labels.lag_hours")).isFalse();
            assertThat(v.path("labels.coverage").asDouble(0.0)).as("day %d coverage", k).isZero();
        }
    }

    private static void assertRealizedCounts(JsonNode v, List<Sent> labeled) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (Sent s : labeled) {
            for (int i = 0; i < s.customers().size(); i++) {
                boolean predicted = s.predictedLabel(i).equals(CreditCustomers.POSITIVE);
                boolean actual = s.customers().get(i).label().equals(CreditCustomers.POSITIVE);
                if (predicted && actual) tp++;
                else if (predicted) fp++;
                else if (actual) fn++;
                else tn++;
            }
        }
        assertThat(v.path("realized.true_positives").asDouble()).as("tp in %s", v).isEqualTo(tp);
        assertThat(v.path("realized.false_positives").asDouble()).isEqualTo(fp);
        assertThat(v.path("realized.true_negatives").asDouble()).isEqualTo(tn);
        assertThat(v.path("realized.false_negatives").asDouble()).isEqualTo(fn);
        assertThat(v.path("realized.accuracy").asDouble()).isCloseTo((tp + tn) / (double) (tp + fp + tn + fn),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(v.has("realized.roc_auc")).isTrue();
    }

    @Test
    @DisplayName("GET /windows with from/to selects the windows overlapping the period; an unknown version has none")
    void windowsFromTo() {
        JsonNode middle = windows("?from=" + day(2) + "&to=" + day(4));
        assertThat(middle.path("windows")).extracting(w -> Instant.parse(w.path("start").asText())).containsExactly(day(2), day(3));
        JsonNode tail = windows("?from=" + day(5).plusSeconds(1));
        assertThat(tail.path("windows")).extracting(w -> Instant.parse(w.path("start").asText())).containsExactly(day(5));
        assertThat(windows("?version=1").path("windows")).hasSize(DAYS);
        assertThat(windows("?version=2").path("windows")).isEmpty();
    }

    /**
     * The window parameter accepts hour, day, week or a duration; a size other than the one the deployment is
     * refreshed at (its rules' window) is cut from the log when asked for: every accepted row lands in one hour
     * window, and a weekly report has windows.
     */
    @Test
    @DisplayName("GET /windows?window=hour and GET /report?window=week cut their windows from the log")
    void otherWindowSizesComeFromTheLog() {
        JsonNode hours = windows("?window=hour");
        assertThat(hours.path("window").asText()).isEqualTo("hour");
        long rows = SENT.stream().filter(Sent::accepted).mapToLong(s -> s.customers().size()).sum();
        double hourRows = StreamSupport.stream(hours.path("windows").spliterator(), false)
                .mapToDouble(w -> w.path("values").path("volume.rows").asDouble()).sum();
        assertThat(hourRows).as("rows over the hour windows").isEqualTo(rows);
        JsonNode weekly = rest.get(MONITORING + "/report?format=json&window=week").json();
        assertThat(weekly.path("window").asText()).isEqualTo("week");
        assertThat(weekly.path("windows")).as("weekly report windows").isNotEmpty();
    }

    @Test
    @DisplayName("GET /drift gives the per-feature drift of the latest window, or of the window starting at 'start'")
    void perFeatureDrift() {
        Rest.Response latest = rest.get(MONITORING + "/drift");
        assertThat(latest.status()).as(latest.body()).isEqualTo(200);
        JsonNode d = latest.json();
        assertThat(d.path("format").asText()).isEqualTo("cairn.drift/v1");
        assertThat(d.path("columns").asInt()).isEqualTo(3);
        assertThat(d.path("drift_share").asDouble()).isEqualTo(1.0);
        List<String> columns = StreamSupport.stream(d.path("features").spliterator(), false).map(f -> f.path("column").asText()).toList();
        assertThat(columns).containsExactlyInAnyOrder("age", "amount", "purpose");
        assertThat(d.path("features")).allSatisfy(f -> assertThat(f.path("drifted").asBoolean()).isTrue());

        Rest.Response first = rest.get(MONITORING + "/drift?start=" + day(0));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("drift_share").asDouble()).isLessThan(0.5);
        assertThat(first.json().path("features")).hasSize(3);

        Rest.Response none = rest.get(MONITORING + "/drift?start=" + day(0).minus(Duration.ofDays(30)));
        assertThat(none.status()).as(none.body()).isEqualTo(404);
    }

    @Test
    @DisplayName("GET /alerts: exactly one FIRING per episode and one RESOLVED per ended episode, also after repeated refreshes")
    void alertTransitionsExactlyOncePerEpisode() {
        for (int i = 0; i < 3; i++) {
            Rest.Response again = rest.post(MONITORING + "/refresh", "");
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().path("transitions")).as("refresh %d after the first", i).isEmpty();
        }
        Rest.Response alerts = rest.get(MONITORING + "/alerts");
        assertThat(alerts.status()).as(alerts.body()).isEqualTo(200);
        JsonNode body = alerts.json();
        assertThat(body.path("rules").path("rules")).hasSize(2);
        List<String> events = new ArrayList<>();
        for (JsonNode e : body.path("events")) {
            events.add(e.path("rule").asText() + " " + e.path("state").asText() + " " + Instant.parse(e.path("window_start").asText()));
        }
        // input-drift: fires on day 2, resolves on day 4, fires again on day 5; refused-requests: days 1 and 3 breach.
        assertThat(events).containsExactlyInAnyOrder(
                "refused-requests FIRING " + day(1),
                "input-drift FIRING " + day(2),
                "refused-requests RESOLVED " + day(2),
                "refused-requests FIRING " + day(3),
                "input-drift RESOLVED " + day(4),
                "refused-requests RESOLVED " + day(4),
                "input-drift FIRING " + day(5));
        assertThat(body.path("firing")).hasSize(1);
        JsonNode firing = body.path("firing").get(0);
        assertThat(firing.path("rule").asText()).isEqualTo("input-drift");
        assertThat(firing.path("severity").asText().toLowerCase()).isEqualTo("critical");
        assertThat(Instant.parse(firing.path("since").asText())).isEqualTo(day(5));

        // limit keeps the latest transitions.
        JsonNode limited = rest.get(MONITORING + "/alerts?limit=2").json();
        assertThat(limited.path("events")).extracting(e -> e.path("rule").asText() + " " + e.path("state").asText())
                .containsExactly("refused-requests RESOLVED", "input-drift FIRING");
    }

    @Test
    @DisplayName("GET /deployments/{name} and GET /deployments show the latest window and the alert firing")
    void statusAndList() {
        Rest.Response status = rest.get(MONITORING);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        JsonNode s = status.json();
        assertThat(s.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(s.path("windows").asInt()).isEqualTo(DAYS);
        assertThat(Instant.parse(s.path("latest").path("start").asText())).isEqualTo(day(5));
        assertThat(s.path("versions")).hasSize(1);
        assertThat(s.path("firing")).extracting(f -> f.path("rule").asText()).containsExactly("input-drift");

        JsonNode list = rest.get("/api/v1/monitoring/deployments").json();
        assertThat(list.path("deployments")).extracting(d -> d.path("deployment").asText()).contains(DEPLOYMENT);

        Rest.Response unknown = rest.get("/api/v1/monitoring/deployments/nobody-deployed-this");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(200);
        assertThat(unknown.json().has("latest")).isFalse();
        assertThat(unknown.json().path("notes").get(0).asText()).contains("no predictions logged");
    }

    @Test
    @DisplayName("GET /report is HTML with SVG charts; format=json is the cairn.monitoring-report/v1 document")
    void reportAsHtmlAndJson() {
        Rest.Response html = rest.get(MONITORING + "/report");
        assertThat(html.status()).as(html.body()).isEqualTo(200);
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.body()).contains("<svg").contains(DEPLOYMENT).contains("input-drift");

        Rest.Response json = rest.get(MONITORING + "/report?format=json");
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        JsonNode report = json.json();
        assertThat(report.path("format").asText()).isEqualTo("cairn.monitoring-report/v1");
        assertThat(report.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(report.path("windows")).hasSize(DAYS);
        assertThat(report.path("firing")).extracting(JsonNode::asText).containsExactly("input-drift");

        JsonNode part = rest.get(MONITORING + "/report?format=json&from=" + day(4)).json();
        assertThat(part.path("windows")).hasSize(2);
    }

    @Test
    @DisplayName("the OpenAPI document lists every monitoring path")
    void openApiListsMonitoringPaths() {
        JsonNode paths = rest.get("/api/v1/openapi.json").json().path("paths");
        for (String p : List.of("/api/v1/monitoring/deployments", "/api/v1/monitoring/deployments/{name}",
                "/api/v1/monitoring/deployments/{name}/refresh", "/api/v1/monitoring/deployments/{name}/windows",
                "/api/v1/monitoring/deployments/{name}/drift", "/api/v1/monitoring/deployments/{name}/alerts",
                "/api/v1/monitoring/deployments/{name}/labels", "/api/v1/monitoring/deployments/{name}/report")) {
            assertThat(paths.has(p)).as(p + " in " + paths.properties().stream().map(Map.Entry::getKey).toList()).isTrue();
        }
        assertThat(paths.path("/api/v1/monitoring/deployments/{name}/alerts").has("put")).isTrue();
        assertThat(paths.path("/api/v1/monitoring/deployments/{name}/labels").has("post")).isTrue();
    }

    @Test
    @DisplayName("/metrics has the window metric and alert gauges after a refresh")
    void prometheusGauges() {
        assertThat(rest.post(MONITORING + "/refresh", "").status()).isEqualTo(200);
        String metrics = rest.get("/metrics").body();
        List<String> lines = metrics.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cairn_monitor_metric{").contains("deployment=\"credit\"")
                .contains("metric=\"volume.rows\"").contains("model_version=\"1\"").endsWith(" 80.0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cairn_monitor_metric{").contains("metric=\"drift.share\"").endsWith(" 1.0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cairn_monitor_alert_firing{").contains("rule=\"input-drift\"")
                .contains("severity=\"critical\"").endsWith(" 1.0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cairn_monitor_alert_firing{").contains("rule=\"refused-requests\"")
                .endsWith(" 0.0"));
    }

    @Test
    @DisplayName("the audit log holds an ALERT_FIRING event by cairn-monitor for each episode")
    void auditLogHasAlertFiring() {
        JsonNode events = rest.get("/api/v1/audit?max_results=1000").json().path("events");
        List<JsonNode> firing = StreamSupport.stream(events.spliterator(), false)
                .filter(e -> e.path("action").asText().equals("ALERT_FIRING")).toList();
        assertThat(firing).extracting(e -> e.path("subject").asText())
                .containsExactlyInAnyOrder("credit/input-drift", "credit/input-drift", "credit/refused-requests", "credit/refused-requests");
        assertThat(firing).allSatisfy(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("cairn-monitor");
            assertThat(e.path("model_name").asText()).isEqualTo(MODEL);
        });
    }

    @Test
    @DisplayName("alert rules with webhooks are refused over REST with 400 naming 'webhooks', and nothing is installed")
    void webhooksAreRefusedOverRest() {
        String withHook = RULES + """
                webhooks:
                  - url: http://127.0.0.1:9/hooks
                """;
        assertBadRequest(rest.send("PUT", MONITORING + "/alerts", withHook, "application/yaml", Map.of()), "webhooks", "webhooks");
        JsonNode rules = rest.get(MONITORING + "/alerts").json().path("rules");
        assertThat(rules.path("webhooks")).isEmpty();
        assertThat(rules.path("rules")).hasSize(2);

        Rest.Response badComparison = rest.send("PUT", MONITORING + "/alerts", RULES.replace("\">=\"", "\"=~\""), "application/yaml", Map.of());
        assertBadRequest(badComparison, "rules[0].comparison", "=~");
        Rest.Response badMetric = rest.send("PUT", MONITORING + "/alerts", RULES.replace("drift.share", "colour.share"), "application/yaml", Map.of());
        assertBadRequest(badMetric, "rules[0].metric", "colour.share");
    }

    @Test
    @DisplayName("bad query parameters give 400 JSON naming the parameter")
    void badQueryParameters() {
        assertBadRequest(rest.get(MONITORING + "/windows?window=fortnight"), "window", "fortnight");
        assertBadRequest(rest.get(MONITORING + "/windows?from=notadate"), "from", "notadate");
        assertBadRequest(rest.get(MONITORING + "/windows?to=2026-13-01"), "to", "2026-13-01");
        assertBadRequest(rest.get(MONITORING + "/report?format=pdf"), "format", "pdf");
        assertBadRequest(rest.get(MONITORING + "/report?window=fortnight"), "window", "fortnight");
        assertBadRequest(rest.get(MONITORING + "/drift?start=yesterday"), "start", "yesterday");
        assertBadRequest(rest.get(MONITORING + "/alerts?limit=0"), "limit", "0");
    }

    @Test
    @DisplayName("X-Cairn-Prediction-Time in the future or not an instant is refused with 400 naming the header, and nothing is logged")
    void badPredictionTime() {
        String body = "{\"inputs\": " + Rest.JSON.valueToTree(CreditCustomers.customer(new SplittableRandom(1), 1, false).row()) + "}";
        for (String time : List.of(Instant.now().plus(Duration.ofDays(2)).toString(), "yesterday", "2026-11-03", 
                Instant.now().minus(Duration.ofDays(500)).toString())) {
            Rest.Response r = rest.send("POST", "/api/v1/deployments/" + DEPLOYMENT + "/predict", body, "application/json",
                    Map.of("X-Cairn-Prediction-Time", time, "X-Request-Id", "bad-time"));
            assertBadRequest(r, "X-Cairn-Prediction-Time", time);
        }
        assertThat(rest.post(MONITORING + "/refresh", "").status()).isEqualTo(200);
        JsonNode page = windows("");
        assertThat(page.path("windows")).as("no window outside the six days").hasSize(DAYS);
        double rows = StreamSupport.stream(page.path("windows").spliterator(), false).mapToDouble(w -> w.path("values").path("volume.rows").asDouble()).sum();
        double refused = StreamSupport.stream(page.path("windows").spliterator(), false).mapToDouble(w -> w.path("values").path("volume.refused").asDouble()).sum();
        assertThat(rows).isEqualTo(SENT.stream().filter(Sent::accepted).mapToLong(s -> s.customers().size()).sum());
        assertThat(refused).as("a refused prediction time is not a refused request of the model").isEqualTo(6);
    }

    @Test
    @DisplayName("labels without id (or label, or with an unknown field) are refused with 400 naming the field")
    void badLabels() {
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"labels\": [{\"label\": \"bad\"}]}"), "labels[0].id", "id");
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"labels\": [{\"id\": \"d0-1\", \"label\": \"bad\"}, {\"id\": \" \", \"label\": \"good\"}]}"),
                "labels[1].id", "id");
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"labels\": [{\"id\": \"d0-1\"}]}"), "labels[0].label", "label");
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"join_on\": \"request_id\"}"), "labels", "labels");
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"labels\": []}"), "labels", "at least one");
        assertBadRequest(rest.post(MONITORING + "/labels", "{\"join_on\": \"x'); DROP\", \"labels\": [{\"id\": \"a\", \"label\": \"bad\"}]}"),
                "join_on", "DROP");
        Rest.Response unknownField = rest.post(MONITORING + "/labels", "{\"labels\": [{\"id\": \"a\", \"label\": \"bad\", \"colour\": 1}]}");
        assertThat(unknownField.status()).as(unknownField.body()).isEqualTo(400);
        assertThat(unknownField.body()).contains("colour");
    }

    @Test
    @DisplayName("deployment names with '/' or '..' are refused with 400 naming 'deployment' and never reach the disk")
    void badDeploymentNames() throws Exception {
        // Path segments as sent: '..' itself, and '/' or '..' hidden from the client's URI handling by percent-encoding.
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("..", "..");
        names.put("..%2Fcredit", "../credit");
        names.put("a%2Fb", "a/b");
        names.put("%2E%2E", "..");
        names.put("%2E%2E%2F%2E%2E%2Fetc", "../../etc");
        names.put(".hidden", ".hidden");
        names.put("-x", "-x");
        names.forEach((encoded, name) -> {
            String base = "/api/v1/monitoring/deployments/" + encoded;
            for (String path : List.of("", "/windows", "/drift", "/alerts", "/report")) {
                assertBadRequest(rest.get(base + path), "deployment", name);
            }
            assertBadRequest(rest.send("PUT", base + "/alerts", RULES, "application/yaml", Map.of()), "deployment", name);
            assertBadRequest(rest.post(base + "/labels", "{\"labels\": [{\"id\": \"a\", \"label\": \"bad\"}]}"), "deployment", name);
            assertBadRequest(rest.post(base + "/refresh", ""), "deployment", name);
        });
        // A name the pattern refuses, sent plainly, is named in a JSON error.
        assertBadRequest(rest.get("/api/v1/monitoring/deployments/..hidden/windows"), "deployment", "..hidden");
        assertBadRequest(rest.send("PUT", "/api/v1/monitoring/deployments/.x/alerts", RULES, "application/yaml", Map.of()), "deployment", ".x");
        try (var files = Files.list(server.servingHome.resolve("alerts"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(DEPLOYMENT + ".yaml");
        }
        try (var files = Files.list(server.servingHome.resolve("monitoring"))) {
            assertThat(files.filter(Files::isDirectory).map(p -> p.getFileName().toString())).containsExactly(DEPLOYMENT);
        }
        try (var files = Files.list(server.servingHome)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("etc", ".hidden", "credit");
        }
    }

    @Test
    @DisplayName("the first refresh answered the update it made")
    void firstRefreshAnsweredItsUpdate() {
        assertThat(firstRefresh.path("deployment").asText()).isEqualTo(DEPLOYMENT);
        assertThat(firstRefresh.path("window").asText()).isEqualTo("day");
        assertThat(firstRefresh.has("update")).isTrue();
    }
}

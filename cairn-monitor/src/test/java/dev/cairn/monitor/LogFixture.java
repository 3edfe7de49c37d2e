package dev.cairn.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes prediction-log segments in the layout servers write ({@link PredictionLogLayout}) from rows the
 * test chooses, and a small model (amount, purpose, foreign → good/bad) with a reference profiled from a
 * seeded training sample, so monitoring is tested on a log whose content is known exactly.
 */
public final class LogFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> PURPOSES = List.of("car", "tv", "education");

    private final Path root;
    private long sequence;

    public LogFixture(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** One logged request: its rows, the positive-class scores (null for a refused request) and the fields it was refused for. */
    public record Request(String id, Instant time, String version, List<Map<String, Object>> rows, double[] scores,
                          List<String> errorFields, long latencyMicros) {}

    public static Signature signature() {
        return new Signature(List.of(
                new Field("amount", FieldType.DOUBLE, true, null, 0.0, 1000.0, null),
                new Field("purpose", FieldType.STRING, true, PURPOSES, null, null, null),
                new Field("foreign", FieldType.BOOLEAN, true, null, null, null, null)),
                OutputSpec.binary("class", "bad", "good"), InputPolicy.REFUSE_ALL);
    }

    /** A row like the training data: amount ~ N(300, 80) clipped to [0, 1000], purposes 50/30/20, foreign 30% yes. */
    public static Map<String, Object> row(SplittableRandom r, double shift) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", Math.max(0, Math.min(1000, 300 + shift + 80 * gaussian(r))));
        double u = r.nextDouble();
        m.put("purpose", u < 0.5 ? "car" : u < 0.8 ? "tv" : "education");
        m.put("foreign", r.nextDouble() < 0.3);
        return m;
    }

    public static double score(Map<String, Object> row) {
        double amount = ((Number) row.get("amount")).doubleValue();
        return 1 / (1 + Math.exp((amount - 300) / 100.0));
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** The model with a reference profiled from {@code n} training rows written to {@code dir}. */
    public static MonitoredModel model(Path dir, String version, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("amount,purpose,foreign,class\n");
        double[] labels = new double[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = row(r, 0);
            double p = score(row);
            scores[i] = p;
            labels[i] = r.nextDouble() < p ? 1 : 0;
            csv.append(row.get("amount")).append(',').append(row.get("purpose")).append(',').append(row.get("foreign"))
                    .append(',').append(labels[i] == 1 ? "good" : "bad").append('\n');
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("train-" + version + ".csv");
        Files.writeString(file, csv);
        DatasetProfile profile = new DataValidation().profile(DataValidation.file(file));
        return new MonitoredModel("credit", version, signature(), 0.5, profile,
                new MonitoredModel.ReferencePredictions(labels, scores), null);
    }

    /** Writes one segment holding {@code requests} for {@code deployment}; returns its file. */
    public Path segment(String deployment, List<Request> requests) throws IOException, SQLException {
        Path dir = root.resolve(PredictionLogLayout.PREDICTIONS);
        Files.createDirectories(dir);
        long first = requests.isEmpty() ? 0 : requests.getFirst().time().toEpochMilli();
        Path file = dir.resolve(PredictionLogLayout.segmentName(PredictionLogLayout.PREDICTIONS, first, "test", ++sequence));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE p (request_id VARCHAR, time_ms BIGINT, deployment VARCHAR, model VARCHAR, model_version VARCHAR, "
                    + "shadow BOOLEAN, protocol VARCHAR, inputs VARCHAR, outputs VARCHAR, error VARCHAR, error_fields VARCHAR, latency_us BIGINT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO p VALUES (?, ?, ?, 'credit', ?, false, 'cairn', ?, ?, ?, ?, ?)")) {
                for (Request q : requests) {
                    insert.setString(1, q.id());
                    insert.setLong(2, q.time().toEpochMilli());
                    insert.setString(3, deployment);
                    insert.setString(4, q.version());
                    insert.setString(5, JSON.writeValueAsString(q.rows()));
                    if (q.scores() == null) {
                        insert.setString(6, null);
                        insert.setString(7, "Input does not match the model signature");
                        insert.setString(8, JSON.writeValueAsString(q.errorFields()));
                    } else {
                        List<Map<String, Object>> outputs = new ArrayList<>();
                        for (double p : q.scores()) {
                            outputs.add(Map.of("label", p >= 0.5 ? "good" : "bad", "probabilities", Map.of("bad", 1 - p, "good", p)));
                        }
                        insert.setString(6, JSON.writeValueAsString(outputs));
                        insert.setString(7, null);
                        insert.setString(8, null);
                    }
                    insert.setLong(9, q.latencyMicros());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("COPY (SELECT request_id, make_timestamp(time_ms * 1000) AS time, deployment, model, model_version, shadow, protocol, "
                    + "inputs, outputs, error, error_fields, latency_us FROM p) TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return file;
    }

    /** {@code n} single-row requests spread over the hour after {@code start}, amounts shifted by {@code shift}. */
    public static List<Request> traffic(String prefix, Instant start, String version, int n, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = row(r, shift);
            out.add(new Request(prefix + i, start.plusMillis(i * 3_600_000L / n), version, List.of(row), new double[] {score(row)},
                    null, 1000 + i % 100));
        }
        return out;
    }
}

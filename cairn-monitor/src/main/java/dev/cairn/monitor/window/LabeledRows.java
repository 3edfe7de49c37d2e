package dev.cairn.monitor.window;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.runtime.pkg.OutputKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scored rows of one window that have a label by now, with their scores and how long the label took:
 * what realized performance, label coverage and label lag are computed from. Labels are joined on the
 * request id ({@code <id>#<n>} for the n-th row of a multi-row request) or on a logged input field.
 */
public record LabeledRows(double[] labels, double[] scores, double[] lagHours) {

    public int size() {
        return scores.length;
    }

    /** 1 where the label is {@code positive}, for binary metrics. */
    public int[] binary() {
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i] > 0.5 ? 1 : 0;
        return y;
    }

    /** The labeled rows of {@code state}'s window, reading the log again (labels arrive after the window was profiled). */
    public static LabeledRows read(Path logRoot, Labels labels, WindowState state, MonitoredModel model) {
        String labelRelation = labels.relation(state.deployment());
        if (labelRelation == null || model.kind() == OutputKind.MULTICLASS) return new LabeledRows(new double[0], new double[0], new double[0]);
        List<Path> plain = new ArrayList<>();
        List<Path> compacted = new ArrayList<>();
        Set<String> plainIds = new HashSet<>();
        Set<String> segments = new HashSet<>(state.segments());
        for (Path f : PredictionLogLayout.files(logRoot, PredictionLogLayout.PREDICTIONS)) {
            if (PredictionLogLayout.isCompacted(f)) compacted.add(f);
            else if (segments.contains(PredictionLogLayout.segmentId(f))) {
                plain.add(f);
                plainIds.add(PredictionLogLayout.segmentId(f));
            }
        }
        if ((plain.isEmpty() && compacted.isEmpty()) || state.segments().isEmpty()) return new LabeledRows(new double[0], new double[0], new double[0]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            List<String> keyFields = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT DISTINCT key_field FROM " + labelRelation + " ORDER BY 1")) {
                while (r.next()) keyFields.add(r.getString(1));
            }
            Set<String> columns = new HashSet<>();
            List<Path> all = new ArrayList<>(plain);
            all.addAll(compacted);
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + LogSql.list(all) + ", union_by_name = true)")) {
                while (r.next()) columns.add(r.getString("column_name"));
            }
            // Exactly the rows the window's profile counted: its segments, its version, its time.
            String requests = "(SELECT * FROM " + LogSql.requests(plain, compacted, plainIds, state.deployment(), columns)
                    + " WHERE model_version = " + Sql.literal(state.modelVersion()) + " AND time >= make_timestamp(" + state.start() * 1000
                    + ") AND time < make_timestamp(" + state.end() * 1000 + ") AND seg IN ("
                    + state.segments().stream().map(Sql::literal).collect(java.util.stream.Collectors.joining(", ")) + "))";
            List<String> inputKeys = keyFields.stream().filter(k -> !k.equals("request_id")).toList();
            String rows = LogSql.rows(requests, model, inputKeys);
            StringBuilder sql = new StringBuilder("WITH r AS (" + rows + "), l AS " + labelRelation + " SELECT r." + LogSql.SCORE
                    + ", coalesce(");
            List<String> labelCols = new ArrayList<>(), valueCols = new ArrayList<>(), timeCols = new ArrayList<>();
            StringBuilder joins = new StringBuilder();
            for (int k = 0; k < keyFields.size(); k++) {
                String alias = "l" + k;
                String key = keyFields.get(k).equals("request_id") ? "r." + LogSql.REQUEST_ID : "r." + LogSql.key(keyFields.get(k));
                joins.append(" LEFT JOIN l AS ").append(alias).append(" ON ").append(alias).append(".key_field = ")
                        .append(Sql.literal(keyFields.get(k))).append(" AND ").append(alias).append(".key = ").append(key);
                labelCols.add(alias + ".label");
                valueCols.add(alias + ".value");
                timeCols.add(alias + ".time");
            }
            sql.append(String.join(", ", labelCols)).append(") AS label, coalesce(").append(String.join(", ", valueCols))
                    .append(") AS value, (epoch_ms(coalesce(").append(String.join(", ", timeCols)).append(")) - epoch_ms(r.")
                    .append(LogSql.TIME).append(")) / 3600000.0 AS lag FROM r").append(joins)
                    .append(" WHERE r.").append(LogSql.SCORE).append(" IS NOT NULL");
            List<double[]> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT * FROM (" + sql + ") WHERE label IS NOT NULL")) {
                while (r.next()) {
                    double score = r.getDouble(1);
                    String label = r.getString(2);
                    double y;
                    if (model.kind() == OutputKind.BINARY) {
                        List<String> classes = model.signature().output().classes();
                        if (label.equals(classes.get(1))) y = 1;
                        else if (label.equals(classes.get(0))) y = 0;
                        else continue; // a label the model does not know cannot be scored against
                    } else {
                        double v = r.getDouble(3);
                        if (r.wasNull()) continue;
                        y = v;
                    }
                    out.add(new double[] {y, score, r.getDouble(4)});
                }
            }
            double[] y = new double[out.size()], p = new double[out.size()], lag = new double[out.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = out.get(i)[0];
                p[i] = out.get(i)[1];
                lag[i] = out.get(i)[2];
            }
            return new LabeledRows(y, p, lag);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot join labels to the prediction log of '" + state.deployment()
                    + "': " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}

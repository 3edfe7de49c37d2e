package dev.cairn.pipeline.example;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC reads for the tests: rows as column-to-value maps, in the query's order. */
final class Db {
    private Db() {}

    static List<Map<String, Object>> rows(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i).toLowerCase(), r.getObject(i));
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("Cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The single number a query returns. */
    static double number(String url, String sql) {
        Object value = rows(url, sql).getFirst().values().iterator().next();
        return ((Number) value).doubleValue();
    }

    static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("Cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The mean of a feature over the customers with a label (known or not yet known), by label. */
    static Map<String, Double> meanByLabel(String url, String feature) {
        Map<String, Double> means = new LinkedHashMap<>();
        for (Map<String, Object> row : rows(url, "SELECT COALESCE(c.class, o.class) AS label, AVG(f." + feature + ") AS mean"
                + " FROM customer_features f JOIN customers c ON c.customer_id = f.customer_id"
                + " LEFT JOIN simulated_outcomes o ON o.customer_id = f.customer_id GROUP BY COALESCE(c.class, o.class)")) {
            means.put((String) row.get("label"), ((Number) row.get("mean")).doubleValue());
        }
        return means;
    }
}

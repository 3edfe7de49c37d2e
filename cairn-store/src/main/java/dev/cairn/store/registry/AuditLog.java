package dev.cairn.store.registry;

import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.tracking.Page;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit table. Rows are only ever inserted, on the caller's connection so that
 * they commit or roll back with the change they record; the database's triggers refuse updates
 * and deletes.
 */
final class AuditLog {

    private AuditLog() {}

    static void append(Connection connection, long timestamp, String actor, AuditAction action, String modelName, Long version,
                       String subject, String fromValue, String toValue, String comment) throws SQLException {
        Jdbc.update(connection, "INSERT INTO audit_events (timestamp, actor, action, model_name, version, subject, from_value,"
                        + " to_value, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                timestamp, actor, action.name(), modelName, version, subject, fromValue, toValue, comment);
    }

    /** Newest first, paged by id (stable while new events are appended). */
    static Page<AuditEvent> list(Connection connection, String modelName, int maxResults, String pageToken) throws SQLException {
        long before = PageTokens.parseAfter(pageToken);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, timestamp, actor, action, model_name, version, subject, from_value,"
                + " to_value, comment FROM audit_events WHERE id < ?");
        params.add(before);
        if (modelName != null) {
            sql.append(" AND model_name = ?");
            params.add(modelName);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(maxResults + 1);
        List<AuditEvent> events = Jdbc.query(connection, sql.toString(), AuditLog::event, params);
        if (events.size() <= maxResults) return new Page<>(events, null);
        List<AuditEvent> page = events.subList(0, maxResults);
        return new Page<>(List.copyOf(page), PageTokens.after(page.get(page.size() - 1).id()));
    }

    private static AuditEvent event(ResultSet row) throws SQLException {
        return new AuditEvent(row.getLong("id"), row.getLong("timestamp"), row.getString("actor"),
                AuditAction.valueOf(row.getString("action")), row.getString("model_name"), Jdbc.nullableLong(row, "version"),
                row.getString("subject"), row.getString("from_value"), row.getString("to_value"), row.getString("comment"));
    }
}

package dev.cairn.monitor.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds logged predictions by their request id or by the value of an input field (a scored customer's
 * {@code customer_id}, which the batch scorer logs with each row): the start of the lineage of one answer. It reads
 * every complete file of the log ({@link PredictionLogLayout}), plain segments and compacted days alike, so it costs a
 * scan of the log: for a person's lookup, not for a request path. A row logged both in a segment and in the day it was
 * compacted into (a reader between the two) is returned once.
 */
public final class PredictionLookup {

    /** What a label may join on ({@code request_id} or an input field): the same names are accepted here. */
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\- ]{0,127}");
    public static final String REQUEST_ID = "request_id";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One logged request: {@code inputs} and {@code outputs} as the log holds them (JSON arrays, one element per scored
     * row); {@code error} set when it was refused.
     */
    public record LoggedPrediction(String requestId, Instant time, String deployment, String model, String modelVersion, boolean shadow,
                                   String inputs, String outputs, String error) {}

    private PredictionLookup() {}

    /**
     * The requests under {@code logRoot} whose {@code field} ({@value #REQUEST_ID}, or an input field's name) equals
     * {@code value}, newest first, at most {@code max}.
     */
    public static List<LoggedPrediction> find(Path logRoot, String field, String value, int max) {
        if (field == null || !FIELD.matcher(field).matches()) {
            throw CairnException.invalid("field", field, "request_id or the name of a logged input field");
        }
        if (value == null || value.isBlank()) throw CairnException.invalid("value", value, "the value to look for");
        if (max < 1 || max > 10_000) throw CairnException.invalid("max", max, "from 1 to 10000");
        List<Path> files = PredictionLogLayout.files(logRoot, PredictionLogLayout.PREDICTIONS);
        if (files.isEmpty()) return List.of();
        String list = files.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
        String where;
        if (field.equals(REQUEST_ID)) {
            where = "request_id = ?";
        } else {
            // The cheap text test first: only rows whose inputs mention the value are parsed.
            where = "contains(inputs, ?) AND list_contains(list_transform(from_json(inputs, " + Sql.literal(structure(field))
                    + "), lambda x: x[" + Sql.literal(field) + "]), ?)";
        }
        String sql = "SELECT DISTINCT request_id, epoch_ms(time) AS ms, deployment, model, model_version, shadow, inputs, outputs, error"
                + " FROM read_parquet(" + list + ", union_by_name = true) WHERE " + where + " ORDER BY ms DESC, request_id LIMIT " + max;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET threads = 1");
            }
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, value);
                if (!field.equals(REQUEST_ID)) q.setString(2, value);
                List<LoggedPrediction> out = new ArrayList<>();
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new LoggedPrediction(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3), r.getString(4),
                                r.getString(5), r.getBoolean(6), r.getString(7), r.getString(8), r.getString(9)));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot search the prediction log " + logRoot + ": " + e.getMessage(), e);
        }
    }

    /** The shape each logged row is parsed into: only the field looked for, as text. */
    private static String structure(String field) {
        try {
            return "[" + JSON.writeValueAsString(Map.of(field, "VARCHAR")) + "]";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

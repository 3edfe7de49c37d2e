package dev.cairn.data.check;

import dev.cairn.data.source.Column;
import dev.cairn.data.source.MalformedRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Validator} needs of a relation, whichever engine holds it: a DuckDB table here,
 * a Spark DataFrame in cairn-spark. The checks, their judging and the result are the same code on
 * every engine; only running the compiled SQL differs.
 */
public interface CheckTarget {

    /** The source's name for messages and the result. */
    String describe();

    List<Column> columns();

    /**
     * One row of the aggregate expressions over the relation, as doubles (null for SQL NULL).
     * An expression the engine cannot run is an {@link SQLException}, so the validator can find
     * the check that holds it.
     */
    List<Double> aggregate(List<String> expressions) throws SQLException;

    /** The query that selects a failed check's first failing rows, shown with the result; null when rows do not apply. */
    String sampleSql(Check check);

    /** Runs {@link #sampleSql}: the first failing rows, each a column-to-value map. */
    List<Map<String, Object>> samples(String sql, Check check);

    /** Whether the source is read line by line (CSV), so the result reports malformed lines as a check. */
    boolean lineOriented();

    long malformedRowCount();

    List<MalformedRow> malformedRows();

    /** The error for a scan that failed as a whole. */
    RuntimeException queryError(String what, SQLException e);
}

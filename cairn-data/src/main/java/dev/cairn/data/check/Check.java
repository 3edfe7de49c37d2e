package dev.cairn.data.check;

import dev.cairn.data.schema.Severity;
import java.util.List;
import java.util.Map;

/**
 * A check compiled to SQL: aggregate expressions that one scan of the relation computes for all
 * checks together (Deequ's single aggregation pass), a predicate that selects failing rows for
 * samples, and how to judge the aggregates. The SQL is plain enough to run on Spark SQL as well.
 */
public interface Check {

    String name();

    /** The kind, as written in YAML (completeness, range, …). */
    String kind();

    /** The column it is about, or null. */
    String column();

    Severity severity();

    /** SQL aggregate expressions over the relation; their values are given to {@link #evaluate}. */
    List<String> aggregates();

    /** A SQL predicate true for rows that fail the check, or null when rows do not apply. */
    String failingRowPredicate();

    /** Judges the aggregates' values (in order; null for SQL NULL). */
    Outcome evaluate(List<Double> values, Context context);

    /** Named metrics the check measures, to store as history (e.g. {@code completeness.age}). */
    default Map<String, Double> metrics(List<Double> values) {
        return Map.of();
    }

    /** The history of metrics from earlier validations, for checks that compare against it. */
    interface Context {
        List<Double> history(String metricKey, int count);
    }
}

package dev.cairn.store.search;

import dev.cairn.core.error.CairnException;
import dev.cairn.store.sql.Dialect;
import dev.cairn.store.sql.Jdbc;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** SQL for one comparison on a column, checked against what the column's kind allows. */
public final class Comparisons {

    public static final Set<String> NUMERIC = Set.of("=", "!=", "<", "<=", ">", ">=");
    public static final Set<String> STRING = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");

    /** Values in one IN list: far below SQLite's limit on parameters in one statement. */
    public static final int MAX_IN_VALUES = 10_000;

    private Comparisons() {}

    /** An error pointing at the comparison's key in the filter text. */
    public static CairnException error(String filterText, Filter.Comparison c, String problem) {
        return SearchErrors.at("filter", filterText, c.position(), problem);
    }

    /** {@code column op ?} for a string column: =, !=, LIKE, ILIKE, IN, NOT IN with quoted strings. */
    public static SqlFragment string(String filterText, Filter.Comparison c, String column, Dialect dialect, Set<String> allowed) {
        if (!allowed.contains(c.comparator())) {
            throw error(filterText, c, "comparator '" + c.comparator() + "' is not supported for " + c.identifierText()
                    + "; expected one of " + sorted(allowed));
        }
        switch (c.comparator()) {
            case "IN", "NOT IN" -> {
                @SuppressWarnings("unchecked")
                List<String> values = (List<String>) c.value();
                if (values.size() > MAX_IN_VALUES) {
                    throw error(filterText, c, "at most " + MAX_IN_VALUES + " values may follow " + c.comparator() + ", found " + values.size());
                }
                String keyword = c.comparator().equals("IN") ? " IN (" : " NOT IN (";
                return new SqlFragment(column + keyword + Jdbc.placeholders(values.size()) + ")", new ArrayList<>(values));
            }
            default -> {
                if (!(c.value() instanceof String value)) {
                    throw error(filterText, c, "expected a quoted string value for " + c.identifierText() + " (e.g. 'my-value'), found " + c.value());
                }
                return switch (c.comparator()) {
                    case "LIKE" -> SqlFragment.of(column + " LIKE ?", value);
                    case "ILIKE" -> SqlFragment.of(dialect.ilike(column), value);
                    default -> SqlFragment.of(column + " " + c.comparator() + " ?", value);
                };
            }
        }
    }

    /** {@code column op ?} for a numeric column compared with a number. */
    public static SqlFragment number(String filterText, Filter.Comparison c, String column, boolean integral) {
        if (!NUMERIC.contains(c.comparator())) {
            throw error(filterText, c, "comparator '" + c.comparator() + "' is not supported for " + c.identifierText()
                    + "; expected one of " + sorted(NUMERIC));
        }
        if (!(c.value() instanceof BigDecimal number)) {
            throw error(filterText, c, "expected a numeric value for " + c.identifierText() + ", found '" + c.value() + "'");
        }
        Object bound = integral ? (Object) longValue(filterText, c, number) : (Object) number.doubleValue();
        return SqlFragment.of(column + " " + c.comparator() + " ?", bound);
    }

    private static long longValue(String filterText, Filter.Comparison c, BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw error(filterText, c, "expected an integer (epoch milliseconds) for " + c.identifierText() + ", found " + number);
        }
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}

package dev.cairn.store.search;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses MLflow's search filter, extended with {@code OR} and parentheses:
 * <pre>
 *   filter     := or
 *   or         := and ( OR and )*
 *   and        := primary ( AND primary )*
 *   primary    := '(' or ')' | comparison
 *   comparison := identifier comparator value | identifier [NOT] IN '(' string (',' string)* ')'
 *   comparator := = | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE
 * </pre>
 * Identifiers are {@code entity.key} with MLflow's entity names and aliases ({@code metrics},
 * {@code metric}, {@code params}, {@code param}, {@code parameter(s)}, {@code tags}, {@code tag},
 * {@code attributes}, {@code attribute}, {@code attr}, {@code run}, {@code datasets},
 * {@code dataset}); a bare name is an attribute. Keys may be quoted with backticks or double quotes.
 * Which keys, comparators and value types are allowed is the business of each search's compiler.
 */
public final class FilterParser {

    /**
     * How deep parentheses may nest: the parser descends once per level, and a filter nested
     * thousands deep would overflow the thread's stack; no hand-written filter comes near 100.
     */
    public static final int MAX_DEPTH = 100;
    /**
     * How many comparisons a filter may hold: each becomes a condition of one SQL statement, and
     * SQLite refuses statements whose expression tree is deeper than 1000.
     */
    public static final int MAX_TERMS = 200;
    /**
     * How many order-by keys a search may have: each key on a metric, param or tag is a join, and
     * SQLite joins at most 64 tables.
     */
    public static final int MAX_ORDER_KEYS = 20;
    /** How many values an IN list may hold: each becomes a bound SQL parameter. */
    public static final int MAX_LIST_VALUES = 1000;

    private final String text;
    private final String what;
    private final List<Token> tokens;
    private int index;
    private int depth;
    private int terms;

    private FilterParser(String text, String what) {
        this.text = text;
        this.what = what;
        this.tokens = FilterLexer.tokenize(text, what);
    }

    /** Parses a filter; null or blank gives null (no filter). */
    public static Filter parse(String filter) {
        if (filter == null || filter.isBlank()) return null;
        FilterParser parser = new FilterParser(filter, "filter");
        Filter result = parser.or();
        Token end = parser.peek();
        if (!end.is(Token.Kind.END)) {
            throw SearchErrors.at("filter", filter, end, "expected AND, OR or the end of the filter");
        }
        return result;
    }

    /** One order-by item: {@code entity.key [ASC|DESC]}. */
    public record OrderKey(String entity, String key, boolean ascending, String text, int position) {}

    /** Every clause of an {@code order_by} list (null is none), refused when there are more than {@link #MAX_ORDER_KEYS}. */
    public static List<OrderKey> parseOrderBy(List<String> clauses) {
        if (clauses == null) return List.of();
        if (clauses.size() > MAX_ORDER_KEYS) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid order_by: more than " + MAX_ORDER_KEYS + " keys ("
                    + clauses.size() + ")", Map.of("field", "order_by", "limit", MAX_ORDER_KEYS, "expected", "at most " + MAX_ORDER_KEYS + " keys"));
        }
        return clauses.stream().map(FilterParser::parseOrderBy).toList();
    }

    public static OrderKey parseOrderBy(String clause) {
        if (clause == null || clause.isBlank()) {
            throw SearchErrors.at("order_by", String.valueOf(clause), 0, "an order-by clause must name a column");
        }
        FilterParser parser = new FilterParser(clause, "order_by");
        Token identifier = parser.next();
        if (!identifier.is(Token.Kind.IDENTIFIER)) {
            throw SearchErrors.at("order_by", clause, identifier, "expected a column such as metrics.auc or attributes.start_time");
        }
        String entity = parser.entity(identifier);
        boolean ascending = true;
        Token direction = parser.next();
        if (direction.is(Token.Kind.ASC)) {
            direction = parser.next();
        } else if (direction.is(Token.Kind.DESC)) {
            ascending = false;
            direction = parser.next();
        }
        if (!direction.is(Token.Kind.END)) {
            throw SearchErrors.at("order_by", clause, direction, "expected ASC, DESC or the end of the clause");
        }
        return new OrderKey(entity, identifier.value(), ascending, clause, identifier.position());
    }

    private Filter or() {
        List<Filter> parts = new ArrayList<>();
        parts.add(and());
        while (peek().is(Token.Kind.OR)) {
            next();
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(List.copyOf(parts));
    }

    private Filter and() {
        List<Filter> parts = new ArrayList<>();
        parts.add(primary());
        while (peek().is(Token.Kind.AND)) {
            next();
            parts.add(primary());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(List.copyOf(parts));
    }

    private Filter primary() {
        Token token = peek();
        if (token.is(Token.Kind.LEFT_PAREN)) {
            next();
            if (++depth > MAX_DEPTH) {
                throw limit("nests parentheses deeper than " + MAX_DEPTH + " levels", MAX_DEPTH,
                        "at most " + MAX_DEPTH + " levels of parentheses");
            }
            Filter inner = or();
            depth--;
            Token close = next();
            if (!close.is(Token.Kind.RIGHT_PAREN)) {
                throw SearchErrors.at(what, text, close, "expected ')' to close the '(' at position " + token.position());
            }
            return inner;
        }
        return comparison();
    }

    private Filter comparison() {
        if (++terms > MAX_TERMS) {
            throw limit("has more than " + MAX_TERMS + " terms", MAX_TERMS, "at most " + MAX_TERMS + " comparisons joined by AND or OR");
        }
        Token identifier = next();
        if (!identifier.is(Token.Kind.IDENTIFIER)) {
            throw SearchErrors.at(what, text, identifier, "expected a key such as metrics.auc, params.x, tags.x or attributes.status");
        }
        String entity = entity(identifier);
        Token operator = next();
        String comparator;
        switch (operator.kind()) {
            case COMPARATOR -> comparator = operator.value();
            case LIKE -> comparator = "LIKE";
            case ILIKE -> comparator = "ILIKE";
            case IN -> comparator = "IN";
            case NOT -> {
                Token in = next();
                if (!in.is(Token.Kind.IN)) throw SearchErrors.at(what, text, in, "expected IN after NOT");
                comparator = "NOT IN";
            }
            default -> throw SearchErrors.at(what, text, operator,
                    "expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after " + identifier.shown());
        }
        Object value;
        if (comparator.equals("IN") || comparator.equals("NOT IN")) {
            value = list();
        } else {
            Token literal = next();
            value = switch (literal.kind()) {
                case STRING -> literal.value();
                case NUMBER -> new BigDecimal(literal.value());
                default -> throw SearchErrors.at(what, text, literal, "expected a quoted string or a number after " + operator.shown());
            };
        }
        return new Filter.Comparison(entity, identifier.value(), comparator, value, identifier.text(), identifier.position());
    }

    private List<String> list() {
        Token open = next();
        if (!open.is(Token.Kind.LEFT_PAREN)) throw SearchErrors.at(what, text, open, "expected '(' to start a list of quoted strings");
        List<String> values = new ArrayList<>();
        while (true) {
            Token item = next();
            if (!item.is(Token.Kind.STRING)) throw SearchErrors.at(what, text, item, "expected a quoted string in the list");
            values.add(item.value());
            if (values.size() > MAX_LIST_VALUES) {
                throw limit("has an IN list of more than " + MAX_LIST_VALUES + " values", MAX_LIST_VALUES,
                        "at most " + MAX_LIST_VALUES + " values in an IN list");
            }
            Token separator = next();
            if (separator.is(Token.Kind.RIGHT_PAREN)) return List.copyOf(values);
            if (!separator.is(Token.Kind.COMMA)) throw SearchErrors.at(what, text, separator, "expected ',' or ')' in the list");
        }
    }

    /** A filter over one of the size limits: named without echoing the (possibly huge) filter itself. */
    private CairnException limit(String problem, int limit, String expected) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid " + what + ": the " + what + " " + problem,
                Map.of("field", what, "limit", limit, "expected", expected));
    }

    private String entity(Token identifier) {
        if (identifier.qualifier() == null) return "attribute";
        return switch (identifier.qualifier().toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> "metric";
            case "param", "params", "parameter", "parameters" -> "param";
            case "tag", "tags" -> "tag";
            case "attribute", "attributes", "attr", "run" -> "attribute";
            case "dataset", "datasets" -> "dataset";
            default -> throw SearchErrors.at(what, text, identifier.position(),
                    "invalid entity type '" + identifier.qualifier() + "': expected metrics, params, tags, attributes or datasets");
        };
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token token = tokens.get(index);
        if (index < tokens.size() - 1) index++;
        return token;
    }
}

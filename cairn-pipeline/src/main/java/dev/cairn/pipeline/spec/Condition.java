package dev.cairn.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A step's {@code if}: the step runs only when it holds, otherwise it is skipped (and so are the steps that need
 * it). The grammar is small on purpose:
 * <pre>
 *   or      := and ('||' and)*
 *   and     := not ('&amp;&amp;' not)*
 *   not     := '!' not | compare
 *   compare := operand (('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') operand)?
 *   operand := ${...} | true | false | null | number | 'text' | "text" | '(' or ')'
 * </pre>
 * e.g. {@code ${steps.evaluate.outputs.blessed}}, {@code !${steps.evaluate.outputs.has_champion}},
 * {@code ${steps.evaluate.outputs.metric} >= 0.6 && ${params.deploy} == true}. An operand alone is true when it is
 * true, "true" (any case) or a non-zero number; false when false, "false", zero, empty or null; any other text is an
 * error. {@code ==} compares numbers as numbers (1 == 1.0), booleans as booleans ("true" == true), anything else as
 * text; ordering needs numbers.
 */
public final class Condition {

    private sealed interface Expr {}

    private record Literal(Object value) implements Expr {}

    private record Ref(Reference reference) implements Expr {}

    private record Not(Expr operand) implements Expr {}

    private record Logical(boolean and, Expr left, Expr right) implements Expr {}

    private record Compare(String op, Expr left, Expr right) implements Expr {}

    private final String text;
    private final Expr root;

    private Condition(String text, Expr root) {
        this.text = text;
        this.root = root;
    }

    /** Parses a condition; a syntax error names the position and what was expected there. */
    public static Condition parse(String text) {
        if (text == null || text.isBlank()) throw invalid(String.valueOf(text), "the condition is empty");
        Parser p = new Parser(text);
        Expr root = p.or();
        p.skipSpace();
        if (p.pos < text.length()) throw p.error("'&&', '||', a comparison or the end");
        return new Condition(text.strip(), root);
    }

    /** As written (stripped). */
    @JsonValue
    public String text() {
        return text;
    }

    /** The references, in order of appearance, each once. */
    public List<Reference> references() {
        Set<Reference> refs = new LinkedHashSet<>();
        collect(root, refs);
        return List.copyOf(refs);
    }

    /** Whether the condition holds, given the value of every reference; an undecidable value is an error. */
    public boolean evaluate(Function<Reference, Object> values) {
        return truth(value(root, values));
    }

    private static void collect(Expr e, Set<Reference> refs) {
        switch (e) {
            case Literal l -> {}
            case Ref r -> refs.add(r.reference());
            case Not n -> collect(n.operand(), refs);
            case Logical l -> {
                collect(l.left(), refs);
                collect(l.right(), refs);
            }
            case Compare c -> {
                collect(c.left(), refs);
                collect(c.right(), refs);
            }
        }
    }

    private Object value(Expr e, Function<Reference, Object> values) {
        return switch (e) {
            case Literal l -> l.value();
            case Ref r -> values.apply(r.reference());
            case Not n -> !truth(value(n.operand(), values));
            case Logical l -> l.and()
                    ? truth(value(l.left(), values)) && truth(value(l.right(), values))
                    : truth(value(l.left(), values)) || truth(value(l.right(), values));
            case Compare c -> compare(c.op(), value(c.left(), values), value(c.right(), values));
        };
    }

    private boolean truth(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        String s = String.valueOf(v).strip();
        if (s.isEmpty() || s.equalsIgnoreCase("false")) return false;
        if (s.equalsIgnoreCase("true")) return true;
        throw CairnException.invalid("if", v, "true or false (in the condition " + text + ")");
    }

    private boolean compare(String op, Object a, Object b) {
        Double x = number(a);
        Double y = number(b);
        if (op.equals("==") || op.equals("!=")) {
            boolean equal;
            if (x != null && y != null) equal = x.doubleValue() == y.doubleValue();
            else if (bool(a) != null && bool(b) != null && (a instanceof Boolean || b instanceof Boolean)) equal = bool(a).equals(bool(b));
            else equal = String.valueOf(a).equals(String.valueOf(b));
            return op.equals("==") == equal;
        }
        if (x == null || y == null) {
            throw CairnException.invalid("if", x == null ? a : b, "a number on each side of " + op + " (in the condition " + text + ")");
        }
        return switch (op) {
            case "<" -> x < y;
            case "<=" -> x <= y;
            case ">" -> x > y;
            default -> x >= y;
        };
    }

    private static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s && s.strip().matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) return Double.parseDouble(s.strip());
        return null;
    }

    private static Boolean bool(Object v) {
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) return Boolean.parseBoolean(s);
        return null;
    }

    private static CairnException invalid(String text, String message) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message,
                Map.of("field", "if", "value", text, "expected", "a condition such as ${steps.evaluate.outputs.blessed}"));
    }

    /** Recursive descent over the text; positions in messages count from 1. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Expr or() {
            Expr left = and();
            while (take("||")) left = new Logical(false, left, and());
            return left;
        }

        Expr and() {
            Expr left = not();
            while (take("&&")) left = new Logical(true, left, not());
            return left;
        }

        Expr not() {
            skipSpace();
            if (text.startsWith("!", pos) && !text.startsWith("!=", pos)) {
                pos++;
                return new Not(not());
            }
            return compare();
        }

        Expr compare() {
            Expr left = operand();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (take(op)) return new Compare(op, left, operand());
            }
            return left;
        }

        Expr operand() {
            skipSpace();
            if (pos >= text.length()) throw error("a value");
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Expr inner = or();
                if (!take(")")) throw error("')'");
                return inner;
            }
            if (text.startsWith("${", pos)) {
                int close = text.indexOf('}', pos);
                if (close < 0) throw error("'}' closing the reference");
                String written = text.substring(pos, close + 1);
                pos = close + 1;
                return new Ref(Template.reference(text, written));
            }
            if (c == '\'' || c == '"') {
                int close = text.indexOf(c, pos + 1);
                if (close < 0) throw error("the closing " + c);
                String s = text.substring(pos + 1, close);
                pos = close + 1;
                return new Literal(s);
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "._-+".indexOf(text.charAt(pos)) >= 0)) pos++;
            String word = text.substring(start, pos);
            switch (word.toLowerCase(Locale.ROOT)) {
                case "true" -> {
                    return new Literal(true);
                }
                case "false" -> {
                    return new Literal(false);
                }
                case "null" -> {
                    return new Literal(null);
                }
                default -> {
                    if (word.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) return new Literal(Double.parseDouble(word));
                    pos = start;
                    throw error("a value: ${...}, true, false, null, a number or a quoted text"
                            + (word.isEmpty() ? "" : " (quote texts: '" + word + "')"));
                }
            }
        }

        boolean take(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        CairnException error(String expected) {
            String found = pos >= text.length() ? "the end" : "'" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'";
            return invalid(text, "condition '" + text.strip() + "': expected " + expected + " at position " + (pos + 1)
                    + ", found " + found);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.cairn.monitor.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.core.error.CairnException;

/** How a rule compares a window's value with its threshold; the value breaches the rule when the comparison holds. */
public enum Comparison {
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    LESS("<"),
    LESS_OR_EQUAL("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    @JsonValue
    public String symbol() {
        return symbol;
    }

    /** True when {@code value} breaches a rule with this comparison and {@code threshold}. */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case GREATER -> value > threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case LESS -> value < threshold;
            case LESS_OR_EQUAL -> value <= threshold;
        };
    }

    @JsonCreator
    public static Comparison parse(String text) {
        return parse("comparison", text);
    }

    static Comparison parse(String field, String text) {
        for (Comparison c : values()) {
            if (c.symbol.equals(text == null ? null : text.strip())) return c;
        }
        // '>' opens a folded block in YAML, hence the hint to quote.
        throw CairnException.invalid(field, text, "one of \">\", \">=\", \"<\", \"<=\" (quoted in YAML)");
    }
}

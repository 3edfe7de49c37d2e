package dev.cairn.monitor.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.core.error.CairnException;
import java.util.Arrays;
import java.util.Locale;

/** How urgent a rule's alert is; written in lower case, as in Prometheus' customary {@code severity} label. */
public enum AlertSeverity {
    INFO,
    WARNING,
    CRITICAL;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AlertSeverity parse(String text) {
        return parse("severity", text);
    }

    static AlertSeverity parse(String field, String text) {
        for (AlertSeverity s : values()) {
            if (s.label().equalsIgnoreCase(text)) return s;
        }
        throw CairnException.invalid(field, text, "one of " + Arrays.stream(values()).map(AlertSeverity::label).toList());
    }
}

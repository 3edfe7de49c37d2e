package dev.cairn.train.data;

import dev.cairn.core.error.CairnException;
import java.util.Locale;

/** What is predicted: one of two classes, one of several, or a number. */
public enum Task {
    BINARY, MULTICLASS, REGRESSION;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isClassification() {
        return this != REGRESSION;
    }

    public static Task parse(String value) {
        for (Task t : values()) {
            if (t.wireName().equalsIgnoreCase(value) || (t == BINARY && "classification".equalsIgnoreCase(value))) return t;
        }
        throw CairnException.invalid("task", value, "one of binary, multiclass, regression");
    }
}

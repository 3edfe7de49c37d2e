package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.engine.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Errors of the libraries a step calls, named as the step's inputs. cairn-data and cairn-train name their own
 * fields ({@code label}, {@code model_uri}, {@code tests.age}); a pipeline's user wrote {@code steps.train.with.label},
 * so that is what the error must say, with the library's own field kept in the details.
 */
final class Fields {
    /** Library field names that mean a step input of another name (applied only when the step has that input). */
    private static final Map<String, String> ALIASES = Map.of(
            "model_uri", "model",
            "param", "params",
            "environment", "env",
            "threshold", "thresholds",
            "slice", "slices",
            "validation_fraction", "test_fraction",
            "url", "source",
            "table", "source");

    private Fields() {}

    /** Runs library code, renaming the field of any {@link CairnException} it throws (see {@link #rename}). */
    static <T> T naming(StepContext context, String defaultKey, Supplier<T> work) {
        try {
            return work.get();
        } catch (CairnException e) {
            throw rename(context, e, defaultKey);
        }
    }

    /**
     * The same error naming the step's input: the library's field when the step has an input of that name (or of
     * its alias, or of its first dotted part: {@code tests.age} is {@code tests}), else {@code defaultKey}. An error
     * that names a step field already ({@code steps.x.with.y}) is left as it is.
     */
    static CairnException rename(StepContext context, CairnException e, String defaultKey) {
        Object given = e.details().get("field");
        String libraryField = given == null ? null : String.valueOf(given);
        if (libraryField != null && libraryField.startsWith("steps.")) return e;
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("steps.")) return e;
        String key = keyFor(context, libraryField, defaultKey);
        String field = context.field(key);
        String quoted = "'" + libraryField + "'";
        String renamed = libraryField != null && libraryField.equals(key) && message.contains(quoted)
                ? message.replace(quoted, "'" + field + "'")
                : field + ": " + message;
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        details.put("field", field);
        if (libraryField != null && !libraryField.equals(key)) details.put("library_field", libraryField);
        return new CairnException(e.code(), renamed, details, e);
    }

    private static String keyFor(StepContext context, String libraryField, String defaultKey) {
        if (libraryField == null) return defaultKey;
        if (context.type().input(libraryField) != null) return libraryField;
        String alias = ALIASES.get(libraryField);
        if (alias != null && context.type().input(alias) != null) return alias;
        int dot = libraryField.indexOf('.');
        if (dot > 0 && context.type().input(libraryField.substring(0, dot)) != null) return libraryField.substring(0, dot);
        return defaultKey;
    }
}

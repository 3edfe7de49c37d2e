package dev.cairn.core.error;

import java.util.Map;

/**
 * The one exception type of Cairn. Its {@link ErrorCode} decides the HTTP status, MLflow's
 * {@code error_code} and the CLI's exit code; {@code details} carries machine-readable context
 * (the field, the value, what was expected, or a list of every problem found).
 */
public class CairnException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public CairnException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public CairnException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, null);
    }

    public CairnException(ErrorCode code, String message, Throwable cause) {
        this(code, message, Map.of(), cause);
    }

    public CairnException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static CairnException notFound(String what, Object id) {
        return new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, what + " '" + id + "' does not exist",
                Map.of("resource", what, "id", String.valueOf(id)));
    }

    public static CairnException alreadyExists(String what, Object id) {
        return new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, what + " '" + id + "' already exists",
                Map.of("resource", what, "id", String.valueOf(id)));
    }

    /** A bad value: names the field, the value and what was expected, as every user error should. */
    public static CairnException invalid(String field, Object value, String expected) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid value " + render(value) + " for '" + field + "': expected " + expected,
                Map.of("field", field, "value", String.valueOf(value), "expected", expected));
    }

    private static String render(Object value) {
        if (value == null) return "null";
        String s = String.valueOf(value);
        if (s.length() > 200) s = s.substring(0, 200) + "…";
        return value instanceof CharSequence ? "'" + s + "'" : s;
    }
}

package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem of a request's shape before giving up, so the client gets them all in one
 * 400 (the same {@code errors} list of row, field, value and expected that signature validation
 * gives).
 */
final class Problems {
    private static final int MAX = 100;
    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, Object value, String expected) {
        add(field, value, expected, 0);
    }

    void add(String field, Object value, String expected, int row) {
        if (errors.size() < MAX) {
            errors.add(new FieldError(field, value instanceof String s && s.length() > 200 ? s.substring(0, 200) + "…" : value,
                    expected, row));
        }
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** Thrown at once: the request cannot be read further. */
    static CairnException fatal(String field, Object value, String expected) {
        return new InvalidInputException(List.of(new FieldError(field, value, expected)));
    }

    static CairnException tooManyRows(int rows, int limit) {
        return new CairnException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request has " + rows + " rows; the limit is " + limit + " rows per request",
                Map.of("field", "(rows)", "value", rows, "expected", "at most " + limit + " rows"));
    }
}

package dev.cairn.runtime;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * Input that does not match a model's signature. It lists every problem found, not only the
 * first; {@code details().get("errors")} holds them as maps (row, field, value, expected) for APIs.
 */
public class InvalidInputException extends CairnException {
    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message(errors),
                Map.of("errors", errors.stream().map(FieldError::toMap).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The names of the fields in error, in the order found. */
    public List<String> fields() {
        return errors.stream().map(FieldError::field).distinct().toList();
    }

    private static String message(List<FieldError> errors) {
        StringBuilder b = new StringBuilder("Input does not match the model signature (")
                .append(errors.size()).append(errors.size() == 1 ? " problem" : " problems").append("): ");
        int shown = Math.min(errors.size(), 20);
        for (int i = 0; i < shown; i++) {
            if (i > 0) b.append("; ");
            b.append(errors.get(i));
        }
        if (errors.size() > shown) b.append("; and ").append(errors.size() - shown).append(" more");
        return b.toString();
    }
}

package dev.cairn.store.search;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Map;

/** INVALID_PARAMETER_VALUE errors that point at the offending place of a search clause. */
public final class SearchErrors {

    private SearchErrors() {}

    static CairnException at(String what, String text, int position, String problem) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid " + what + " '" + text + "': " + problem + " at position " + position,
                Map.of("field", what, "value", text, "position", position, "expected", problem));
    }

    static CairnException at(String what, String text, Token token, String problem) {
        return at(what, text, token.position(), problem + ", found " + token.shown());
    }
}

package dev.cairn.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.error.CairnException;
import java.util.Map;

/** The body of every error response; field names fixed so they do not depend on a mapper's naming. */
public record ErrorBody(
        @JsonProperty("error_code") String errorCode,
        @JsonProperty("message") String message,
        @JsonProperty("details") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> details) {

    public static ErrorBody of(CairnException e) {
        return new ErrorBody(e.code().name(), e.getMessage(), e.details());
    }
}

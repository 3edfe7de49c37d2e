package dev.cairn.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Map;

/**
 * The one JSON configuration of cairn-data: fields in declaration order, map keys sorted, nulls
 * left out, indented — so the same result always serialises to the same text.
 */
public final class DataJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private DataJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + what + ": " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr(), Map.of("what", what), e);
        }
    }
}

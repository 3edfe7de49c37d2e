package dev.cairn.pipeline.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's JSON: step outputs as stored, and the canonical form of what a cache key hashes (keys sorted, so
 * the same inputs always give the same bytes; durations and instants as ISO-8601 text).
 */
final class EngineJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("cairn-pipeline-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private EngineJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write step values as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> readOutputs(String json) {
        if (json == null || json.isBlank()) return new LinkedHashMap<>();
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Stored step outputs are not readable JSON: " + e.getOriginalMessage(), e);
        }
    }
}

package dev.cairn.pipeline.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.time.Instant;

/**
 * The JSON of snapshot manifests: snake_case, instants as ISO-8601 text, absent values left out, indented so a
 * person can read one with {@code cat}. Unknown fields are ignored on reading, so a newer writer's additions do not
 * break an older reader (the {@code format} field says when the meaning changed).
 */
final class SnapshotJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("cairn-snapshot-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
                        @Override
                        protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext context) {
                            return Instant.parse(value);
                        }
                    }))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SnapshotJson() {}

    static byte[] write(SnapshotManifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the manifest of snapshot " + manifest.sha256(), e);
        }
    }

    static SnapshotManifest read(byte[] json, String path) {
        try {
            return MAPPER.readValue(json, SnapshotManifest.class);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new CairnException(ErrorCode.DATA_LOSS, "Snapshot manifest '" + path + "' is not readable JSON: " + reason,
                    java.util.Map.of("path", path), e);
        }
    }
}

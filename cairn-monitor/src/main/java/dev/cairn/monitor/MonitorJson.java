package dev.cairn.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The JSON monitoring writes (alert events on the wire, the alert engine's state file, the report): snake_case
 * like the REST API, instants as ISO-8601 text, absent values left out, unknown fields ignored on reading so a
 * receiver of an older version still reads a newer document. {@link #PRETTY} also indents and sorts map keys,
 * so one report always serialises to the same text.
 */
public final class MonitorJson {
    public static final ObjectMapper COMPACT = builder().build();
    public static final ObjectMapper PRETTY = builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private MonitorJson() {}

    private static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .addModule(new SimpleModule("cairn-instants").addSerializer(Instant.class, ToStringSerializer.instance)
                        .addDeserializer(Instant.class, new InstantText()))
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads {@code json} as {@code type}; a record refusing a value says what is wrong better than Jackson's wrapper, so its error is kept. */
    public static <T> T read(String json, Class<T> type, String what) {
        try {
            return COMPACT.readValue(json, type);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CairnException c) throw c;
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + what + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), Map.of("what", what), e);
        }
    }

    /** An instant as ISO-8601 text, e.g. {@code 2026-11-01T00:00:00Z}. */
    private static final class InstantText extends StdScalarDeserializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "expected an ISO-8601 instant such as 2026-11-01T00:00:00Z");
            }
        }
    }
}

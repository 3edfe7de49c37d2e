package dev.cairn.monitor.report;

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
 * The report's JSON: snake_case like the REST API, instants as ISO-8601 text (as the server writes
 * them), map keys sorted and nulls left out, so one report always serialises to the same text.
 */
final class ReportJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("cairn-instants").addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantText()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ReportJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the monitoring report as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            // A record refusing a value (CairnException.invalid) says what is wrong better than Jackson's wrapper.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CairnException c) throw c;
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + what + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), Map.of("what", what), e);
        }
    }

    /** An instant as ISO-8601 text, e.g. {@code 2025-03-01T00:00:00Z}. */
    private static final class InstantText extends StdScalarDeserializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException | NullPointerException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "expected an ISO-8601 instant such as 2025-03-01T00:00:00Z");
            }
        }
    }
}

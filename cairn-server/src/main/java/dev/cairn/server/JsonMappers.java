package dev.cairn.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.core.error.CairnException;
import java.io.IOException;

/**
 * The server's Jackson configuration, in one place. Every API serialises records in snake_case
 * (as MLflow's wire format does) with Java time as ISO-8601 strings and without null fields.
 * Whether unknown request fields are an error is each API's choice: Cairn's own API refuses
 * them (a misspelt field should not be silently ignored), the MLflow-compatible API accepts them
 * because MLflow clients send fields Cairn does not use.
 */
public final class JsonMappers {

    private JsonMappers() {}

    /** Refuses unknown fields in request bodies: for Cairn's own API. */
    public static ObjectMapper strict() {
        return base()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // A JSON string where a number is expected (or the reverse) is refused rather than
                // silently converted: wrong types must be reported.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, textual -> textual
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /**
     * As {@link #strict()}, and the bare tokens NaN, Infinity and -Infinity are read as numbers:
     * for Cairn's tracking API, where a diverged loss is a real metric value, read as MLflow's
     * Python server reads it. (Serving keeps {@link #strict()}: a model input of NaN is refused.)
     */
    public static ObjectMapper tracking() {
        return ((JsonMapper) strict()).rebuild().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    /**
     * Ignores unknown fields and accepts numbers sent as strings: for the MLflow-compatible API,
     * whose clients send int64 fields ({@code timestamp}, {@code step}) as JSON strings.
     */
    public static ObjectMapper lenient() {
        return base().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .addModule(new SimpleModule("cairn-strings").addDeserializer(String.class, new NoNulStrings()))
                // The bare tokens NaN, Infinity and -Infinity are read as numbers (a diverged
                // loss is a real metric value), as MLflow's Python server reads them.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // 1.5 where an integer is expected is an error, not a silent truncation to 1.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Strings without NUL: no Cairn field needs one, PostgreSQL cannot store one, and a NUL in a
     * path makes {@code Path.of} throw; refused here, naming the field, for every request body.
     */
    private static final class NoNulStrings extends StdScalarDeserializer<String> {
        NoNulStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw CairnException.invalid(RequestBodies.fieldPath(parser.getParsingContext()), value.replace("\0", "\\0"),
                        "a string without NUL characters");
            }
            return value;
        }
    }
}

package dev.cairn.features.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one encoding of records and watermarks that every online store keeps, so the embedded store and Redis give
 * back the same values: values as a JSON object (times as ISO-8601 text, whole numbers as integers), times as epoch
 * microseconds.
 */
public final class OnlineJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private OnlineJson() {}

    /** A value as JSON can hold it: text, a number (Long, Double, BigInteger, BigDecimal), a boolean or null. */
    public static Object jsonValue(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> d.isNaN() || d.isInfinite() ? null : d;
            case Float f -> f.isNaN() || f.isInfinite() ? null : (double) f;
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
            case BigDecimal b -> b;
            case java.sql.Timestamp t -> t.toLocalDateTime().toString();
            case java.sql.Date d -> d.toLocalDate().toString();
            case LocalDateTime t -> t.toString();
            case LocalDate d -> d.toString();
            case LocalTime t -> t.toString();
            case OffsetDateTime t -> t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
            case Instant i -> i.toString();
            default -> v.toString();
        };
    }

    public static String values(Map<String, Object> values) {
        ObjectNode node = JSON.createObjectNode();
        values.forEach((k, v) -> node.putPOJO(k, jsonValue(v)));
        return write(node);
    }

    public static Map<String, Object> values(String json) {
        JsonNode node = read(json);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), scalar(e.getValue()));
        }
        return values;
    }

    /** A whole record with its event time ({@code {"t": micros, "v": {...}}}): what Redis keeps under the entity's key. */
    public static String record(OnlineRecord record) {
        return "{\"t\":" + micros(record.eventTime()) + ",\"v\":" + values(record.values()) + "}";
    }

    public static OnlineRecord record(EntityKey key, String json) {
        JsonNode node = read(json);
        return new OnlineRecord(key, instant(node.path("t").asLong()), values(node.path("v").toString()));
    }

    public static String watermark(Watermark w) {
        ObjectNode node = JSON.createObjectNode();
        node.put("view", w.view());
        node.put("fingerprint", w.fingerprint());
        if (w.eventTime() == null) node.putNull("event_time");
        else node.put("event_time", micros(w.eventTime()));
        node.put("as_of", micros(w.asOf()));
        return write(node);
    }

    public static Watermark watermark(String json) {
        JsonNode node = read(json);
        JsonNode event = node.path("event_time");
        return new Watermark(node.path("view").asText(), node.path("fingerprint").asText(),
                event.isNull() || event.isMissingNode() ? null : instant(event.asLong()), instant(node.path("as_of").asLong()));
    }

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    public static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static Object scalar(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isIntegralNumber()) return v.bigIntegerValue().bitLength() < 64 ? (Object) v.longValue() : v.bigIntegerValue();
        if (v.isNumber()) return v.doubleValue();
        return v.asText();
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write an online record: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "An online store holds a record that is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}

package dev.cairn.features.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The values of an entity's join keys, as text, in the order of the view's join keys: what identifies an entity's
 * record in an online store. Numbers are written as integers when they are whole ({@code 42}, whether a database gave
 * 42, 42L or 42.0), so a key read from a CSV file, a database or a JSON request finds the same record.
 */
public record EntityKey(List<String> values) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EntityKey {
        values = List.copyOf(values);
    }

    /** The key of join key values as a source or a request gives them; null values are not keys. */
    public static EntityKey of(List<?> values) {
        List<String> texts = new ArrayList<>(values.size());
        for (Object v : values) {
            Objects.requireNonNull(v, "a join key value");
            texts.add(text(v));
        }
        return new EntityKey(texts);
    }

    private static String text(Object v) {
        return switch (v) {
            case Long l -> Long.toString(l);
            case Integer i -> Integer.toString(i);
            case Short s -> Short.toString(s);
            case Byte b -> Byte.toString(b);
            case BigInteger b -> b.toString();
            case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e18 -> Long.toString(d.longValue());
            case Float f when f == Math.rint(f) && !f.isInfinite() && Math.abs(f) < 1e18 -> Long.toString(f.longValue());
            case BigDecimal b when b.signum() == 0 || b.stripTrailingZeros().scale() <= 0 -> b.toBigInteger().toString();
            case BigDecimal b -> b.stripTrailingZeros().toPlainString();
            default -> v.toString();
        };
    }

    /** The key as stored: a JSON array of texts ({@code ["42"]}), unambiguous for composite keys. */
    public String encoded() {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return values.size() == 1 ? values.getFirst() : values.toString();
    }
}

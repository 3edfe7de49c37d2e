package dev.cairn.server.api;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reading and checking path, query and body values; every refusal names the field and what was expected. */
public final class Params {

    private Params() {}

    public static long parseLong(String field, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw CairnException.invalid(field, value, "an integer");
        }
    }

    /** A model version number from the path: a positive integer. */
    public static long version(Context ctx) {
        long version = parseLong("version", ctx.pathParam("version"));
        if (version < 1) throw CairnException.invalid("version", version, "a positive integer");
        return version;
    }

    public static <T> T required(String field, T value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw CairnException.invalid(field, value, "a value (the field is required)");
        }
        return value;
    }

    public static ViewType viewType(String value) {
        if (value == null || value.isBlank()) return ViewType.ACTIVE_ONLY;
        try {
            return ViewType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("view_type", value, "one of " + Arrays.stream(ViewType.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    public static <E extends Enum<E>> E enumValue(String field, Class<E> type, String value) {
        try {
            return Enum.valueOf(type, required(field, value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid(field, value, "one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    /** A query parameter, or null when absent or blank. */
    public static String optional(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A query parameter that may carry several values, in any of the spellings clients use:
     * repeated ({@code ?stages=A&stages=B}), with brackets ({@code ?stages[]=A&stages[]=B}, as
     * JavaScript and PHP clients write arrays) or comma-separated ({@code ?stages=A,B}).
     */
    public static List<String> list(Context ctx, String name) {
        return java.util.stream.Stream.concat(ctx.queryParams(name).stream(), ctx.queryParams(name + "[]").stream())
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code order_by} may repeat: {@code ?order_by=metrics.auc DESC&order_by=start_time}. */
    public static List<String> orderBy(Context ctx) {
        return ctx.queryParams("order_by").stream().filter(s -> !s.isBlank()).toList();
    }

    public static List<Tag> tags(List<Tag> tags) {
        if (tags == null) return List.of();
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            if (tag == null) throw CairnException.invalid("tags[" + i + "]", null, "an object with key and value");
            required("tags[" + i + "].key", tag.key());
            if (tag.value() == null) throw CairnException.invalid("tags[" + i + "].value", null, "a string");
        }
        return tags;
    }

    /** A single tag sent as a request body. */
    public static Tag tag(Tag tag) {
        required("key", tag.key());
        if (tag.value() == null) throw CairnException.invalid("value", null, "a string");
        return tag;
    }

    public static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

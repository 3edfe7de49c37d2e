package dev.cairn.store.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's parameters as a flat JSON object of strings ({@code {"alpha": "0.5", "table": null}}), the one column
 * that holds them. cairn-store has no JSON library and needs none for this shape; the text is what any JSON reader
 * (a person with {@code jq}, PostgreSQL's {@code ::json}) reads back. Order is kept.
 */
final class ParameterJson {

    private ParameterJson() {}

    static String write(Map<String, String> parameters) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            if (json.length() > 1) json.append(", ");
            string(json, entry.getKey());
            json.append(": ");
            if (entry.getValue() == null) {
                json.append("null");
            } else {
                string(json, entry.getValue());
            }
        }
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    // Control characters (NUL among them, which a PostgreSQL TEXT cannot hold) as \\u escapes.
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /** Reads what {@link #write} wrote (any flat JSON object of strings and nulls). */
    static Map<String, String> read(String text) {
        Reader reader = new Reader(text);
        Map<String, String> parameters = new LinkedHashMap<>();
        reader.skipSpace();
        reader.expect('{');
        reader.skipSpace();
        if (reader.peek() == '}') {
            reader.next();
        } else {
            while (true) {
                reader.skipSpace();
                String key = reader.string();
                reader.skipSpace();
                reader.expect(':');
                reader.skipSpace();
                String value;
                if (reader.peek() == 'n') {
                    reader.literal("null");
                    value = null;
                } else {
                    value = reader.string();
                }
                parameters.put(key, value);
                reader.skipSpace();
                char c = reader.next();
                if (c == '}') break;
                if (c != ',') throw reader.corrupt();
            }
        }
        reader.skipSpace();
        if (!reader.atEnd()) throw reader.corrupt();
        return parameters;
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            if (atEnd()) throw corrupt();
            return text.charAt(at);
        }

        char next() {
            char c = peek();
            at++;
            return c;
        }

        void expect(char c) {
            if (next() != c) throw corrupt();
        }

        void literal(String word) {
            if (!text.startsWith(word, at)) throw corrupt();
            at += word.length();
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(at))) at++;
        }

        String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return s.toString();
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> s.append(escaped);
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw corrupt();
                        try {
                            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw corrupt();
                        }
                        at += 4;
                    }
                    default -> throw corrupt();
                }
            }
        }

        /** The column is only written by this class: anything else there is damage, not user input. */
        CairnException corrupt() {
            return new CairnException(ErrorCode.INTERNAL_ERROR,
                    "A pipeline run's stored parameters are not a JSON object of strings (at character " + at + ")");
        }
    }
}

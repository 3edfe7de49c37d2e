package dev.cairn.data.yaml;

import java.util.List;

/**
 * A YAML value with the line and column it starts at (1-based), so that every problem found later can name its
 * line. Jackson's tree ({@code JsonNode}) forgets locations, hence this small tree built from the streaming parser
 * ({@link YamlReader}). Pipeline specs and feature definitions are read through it.
 */
public sealed interface YamlNode {
    int line();

    int column();

    /** What the node is, for messages: "a mapping", "a list", "a text". */
    String describe();

    /**
     * A scalar: {@code value} is what YAML resolved (String, Long, Double, BigInteger, BigDecimal, Boolean or null),
     * {@code text} what was written ({@code yes} for a true read from {@code yes}).
     */
    record Scalar(Object value, String text, int line, int column) implements YamlNode {
        public boolean isNull() {
            return value == null;
        }

        @Override
        public String describe() {
            if (value == null) return "nothing (null)";
            if (value instanceof Boolean) return "a boolean (" + text + ")";
            if (value instanceof Number) return "a number (" + text + ")";
            return "a text ('" + text + "')";
        }
    }

    record Mapping(List<Entry> entries, int line, int column) implements YamlNode {
        public Entry entry(String key) {
            for (Entry e : entries) if (e.key().equals(key)) return e;
            return null;
        }

        public YamlNode get(String key) {
            Entry e = entry(key);
            return e == null ? null : e.value();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /**
     * A value that could not be read (an alias, an unsupported tag) and has been reported: problems about it are
     * not reported again.
     */
    record Invalid(int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return "an unreadable value";
        }
    }

    /** A key and its value; the key's own line is where an unknown or duplicate key is reported. */
    record Entry(String key, int line, int column, YamlNode value) {}

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }
}

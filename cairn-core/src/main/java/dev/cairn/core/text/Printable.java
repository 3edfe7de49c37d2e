package dev.cairn.core.text;

/**
 * Text from a request (an actor, a model name, a reason) made safe to print on one line of a table, a log or a
 * terminal: control characters (newlines, carriage returns, escape sequences), the Unicode line and paragraph
 * separators and the bidirectional overrides are written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX},
 * and a backslash as two, so that no value can end its line and forge the next one, and the escaped text still reads
 * back unambiguously. The stored values stay as they were sent; only what is printed is escaped.
 */
public final class Printable {

    private Printable() {}

    /** {@code text} with every character that could break or disguise a line escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement == null) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length() + 8).append(text, 0, i);
            out.append(replacement);
        }
        return out == null ? text : out.toString();
    }

    private static String replacement(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\\' -> "\\\\";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                    ? String.format("\\u%04x", (int) c) : null;
        };
    }
}

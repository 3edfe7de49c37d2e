package dev.cairn.store.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Splits a filter or order-by clause into tokens. */
final class FilterLexer {

    private static final Map<String, Token.Kind> KEYWORDS = Map.of(
            "AND", Token.Kind.AND, "OR", Token.Kind.OR, "NOT", Token.Kind.NOT, "LIKE", Token.Kind.LIKE,
            "ILIKE", Token.Kind.ILIKE, "IN", Token.Kind.IN, "ASC", Token.Kind.ASC, "DESC", Token.Kind.DESC);

    private final String text;
    private final String what;
    private int position;

    private FilterLexer(String text, String what) {
        this.text = text;
        this.what = what;
    }

    /** {@code what} names the clause in errors ("filter", "order_by"). */
    static List<Token> tokenize(String text, String what) {
        return new FilterLexer(text, what).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) position++;
            if (position >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", null, null, position));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = position;
        char c = text.charAt(position);
        switch (c) {
            case '(' -> {
                position++;
                return new Token(Token.Kind.LEFT_PAREN, "(", null, null, start);
            }
            case ')' -> {
                position++;
                return new Token(Token.Kind.RIGHT_PAREN, ")", null, null, start);
            }
            case ',' -> {
                position++;
                return new Token(Token.Kind.COMMA, ",", null, null, start);
            }
            case '\'', '"' -> {
                String value = quoted(c);
                return new Token(Token.Kind.STRING, text.substring(start, position), null, value, start);
            }
            case '=', '!', '<', '>' -> {
                return comparator(start);
            }
            default -> {
            }
        }
        if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && position + 1 < text.length()
                && (Character.isDigit(text.charAt(position + 1)) || text.charAt(position + 1) == '.'))) {
            return number(start);
        }
        if (c == '`' || Character.isLetter(c) || c == '_') {
            return identifier(start);
        }
        throw SearchErrors.at(what, text, start, "unexpected character '" + c + "'");
    }

    private Token comparator(int start) {
        String two = text.length() >= start + 2 ? text.substring(start, start + 2) : "";
        String op;
        if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("==")) {
            op = two;
        } else if (two.equals("<>")) {
            op = two;
        } else if (text.charAt(start) == '!') {
            throw SearchErrors.at(what, text, start, "unexpected character '!' (did you mean '!=')");
        } else {
            op = text.substring(start, start + 1);
        }
        position = start + op.length();
        String canonical = switch (op) {
            case "==" -> "=";
            case "<>" -> "!=";
            default -> op;
        };
        return new Token(Token.Kind.COMPARATOR, op, null, canonical, start);
    }

    private Token number(int start) {
        int i = position;
        if (text.charAt(i) == '-' || text.charAt(i) == '+') i++;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < text.length() && (text.charAt(j) == '-' || text.charAt(j) == '+')) j++;
            if (j < text.length() && Character.isDigit(text.charAt(j))) {
                i = j;
                while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
            }
        }
        String literal = text.substring(start, i);
        position = i;
        try {
            new java.math.BigDecimal(literal);
        } catch (NumberFormatException e) {
            throw SearchErrors.at(what, text, start, "'" + literal + "' is not a number");
        }
        return new Token(Token.Kind.NUMBER, literal, null, literal, start);
    }

    private Token identifier(int start) {
        boolean firstQuoted = text.charAt(position) == '`';
        String first = firstQuoted ? quoted('`') : word();
        if (position < text.length() && text.charAt(position) == '.') {
            position++;
            if (position >= text.length()) throw SearchErrors.at(what, text, position, "a key is missing after '" + first + ".'");
            char c = text.charAt(position);
            String key;
            if (c == '`' || c == '"' || c == '\'') {
                key = quoted(c);
            } else {
                int keyStart = position;
                while (position < text.length() && isKeyChar(text.charAt(position))) position++;
                key = text.substring(keyStart, position);
                if (key.isEmpty()) throw SearchErrors.at(what, text, keyStart, "a key is missing after '" + first + ".'");
            }
            return new Token(Token.Kind.IDENTIFIER, text.substring(start, position), first, key, start);
        }
        if (!firstQuoted) {
            Token.Kind keyword = KEYWORDS.get(first.toUpperCase(Locale.ROOT));
            if (keyword != null) return new Token(keyword, first, null, first, start);
        }
        return new Token(Token.Kind.IDENTIFIER, text.substring(start, position), null, first, start);
    }

    private String word() {
        int start = position;
        while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
            position++;
        }
        return text.substring(start, position);
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
    }

    /** Reads a quoted run starting at the quote; a doubled quote or a backslash escapes one. */
    private String quoted(char quote) {
        int start = position;
        position++;
        StringBuilder sb = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\\' && position + 1 < text.length() && text.charAt(position + 1) == quote) {
                sb.append(quote);
                position += 2;
            } else if (c == quote) {
                if (position + 1 < text.length() && text.charAt(position + 1) == quote) {
                    sb.append(quote);
                    position += 2;
                } else {
                    position++;
                    return sb.toString();
                }
            } else {
                sb.append(c);
                position++;
            }
        }
        throw SearchErrors.at(what, text, start, "the quote " + quote + " opened here is never closed");
    }
}

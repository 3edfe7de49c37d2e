package dev.cairn.store.search;

/**
 * One lexical token of a filter or order-by clause. For an identifier, {@code qualifier} is the
 * part before the first dot ({@code metrics} in {@code metrics.auc}, null when there is none) and
 * {@code value} the key, unquoted; for a string, {@code value} is its unquoted content.
 * {@code position} is the 0-based offset in the text.
 */
record Token(Kind kind, String text, String qualifier, String value, int position) {

    enum Kind { IDENTIFIER, STRING, NUMBER, COMPARATOR, AND, OR, NOT, LIKE, ILIKE, IN, ASC, DESC, LEFT_PAREN, RIGHT_PAREN, COMMA, END }

    boolean is(Kind kind) {
        return this.kind == kind;
    }

    /** How the token is shown in an error message. */
    String shown() {
        return kind == Kind.END ? "end of input" : "'" + text + "'";
    }
}

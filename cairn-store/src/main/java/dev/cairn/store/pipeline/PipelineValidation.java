package dev.cairn.store.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Checks of what callers hand the pipeline store, each failure naming the field, the value and what was expected. */
final class PipelineValidation {

    /** Names, ids, keys and owners: long enough for any real one, short enough to index. */
    static final int MAX_NAME_LENGTH = 256;

    /** Artifact URIs are indexed: PostgreSQL's b-tree refuses entries much over 2 KB. */
    static final int MAX_URI_LENGTH = 2048;

    /** The most rows one listing (runs, log lines, lineage edges) returns. */
    static final int MAX_RESULTS = 10_000;

    private PipelineValidation() {}

    /** A name or id: not blank, at most {@link #MAX_NAME_LENGTH} characters, no NUL (PostgreSQL text cannot hold it). */
    static String name(String field, String value) {
        if (value == null || value.isBlank()) throw CairnException.invalid(field, value, "a non-blank value");
        if (value.length() > MAX_NAME_LENGTH || value.indexOf('\0') >= 0) {
            throw CairnException.invalid(field, value.replace("\0", "\\0"),
                    "at most " + MAX_NAME_LENGTH + " characters without NUL");
        }
        return value;
    }

    /** Like {@link #name} but may be null. */
    static String optionalName(String field, String value) {
        return value == null ? null : name(field, value);
    }

    /** Text compared as stored (a trigger's state): not null, and no NUL, which would have to be changed to store it. */
    static String text(String field, String value) {
        if (value == null) throw CairnException.invalid(field, null, "a value");
        if (value.indexOf('\0') >= 0) throw CairnException.invalid(field, value.replace("\0", "\\0"), "text without NUL characters");
        return value;
    }

    static String uri(String field, String value) {
        if (value == null || value.isBlank()) throw CairnException.invalid(field, value, "a non-blank URI");
        if (value.length() > MAX_URI_LENGTH || value.indexOf('\0') >= 0) {
            throw CairnException.invalid(field, value.replace("\0", "\\0"), "at most " + MAX_URI_LENGTH + " characters without NUL");
        }
        return value;
    }

    static int maxResults(String field, int value) {
        if (value < 1 || value > MAX_RESULTS) throw CairnException.invalid(field, value, "a number from 1 to " + MAX_RESULTS);
        return value;
    }

    static Instant time(String field, Instant value) {
        if (value == null) throw CairnException.invalid(field, null, "a time");
        return value;
    }

    static String sha256(String field, String value) {
        if (!Sha256.isHex(value)) throw CairnException.invalid(field, value, "a SHA-256 in lower-case hex (64 characters)");
        return value;
    }

    /**
     * A spec's text and its hash: the hash must be the text's (of its UTF-8 bytes, as the spec parser computes it),
     * since versions are found by it for as long as runs refer to them.
     */
    static void specText(String text, String sha256) {
        sha256("sha256", sha256);
        if (text == null) throw CairnException.invalid("spec_text", null, "the spec's text");
        if (text.indexOf('\0') >= 0) throw CairnException.invalid("spec_text", "(text with NUL)", "text without NUL characters");
        String actual = Sha256.of(text.getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(sha256)) {
            throw CairnException.invalid("sha256", sha256, "the SHA-256 of the spec text given with it, " + actual);
        }
    }

    /**
     * Free text a process may have written (a failure message, a log line): NUL, which PostgreSQL cannot store
     * and SQLite can, is replaced by U+FFFD so that both keep the same text.
     */
    static String freeText(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }
}

package dev.cairn.core.registry;

import dev.cairn.core.error.CairnException;
import java.util.Map;

/**
 * What an alias must point at for a change to it to apply: the compare of a compare-and-set. Two people who
 * both saw {@code champion} at version 3 and both move it get one success and one CONFLICT naming who moved
 * it first, never a silent overwrite. Over HTTP it is {@code If-Match: "3"} ({@link #At}) or
 * {@code If-None-Match: *} ({@link #Absent}); a promotion takes it from its verdict (the champion the
 * evaluation compared against).
 */
public sealed interface AliasPrecondition {

    /** No condition: the change applies whatever the alias points at (MLflow's API has no other). */
    AliasPrecondition ANY = new Any();

    /** Whether the alias's current version (null when the alias does not exist) satisfies this condition. */
    boolean holds(Long current);

    /** What was expected, for an error message: "version 3", "no alias". */
    String describe();

    /** The HTTP request headers that state this condition. */
    Map<String, String> headers();

    /** The entity tag of an alias pointing at {@code version}: the version, quoted, as {@code If-Match} takes it back. */
    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The condition stated by a request's headers: {@code If-Match: "3"} (an entity tag from {@link #etag}),
     * {@code If-None-Match: *}, or neither.
     */
    static AliasPrecondition fromHeaders(String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            if (!ifNoneMatch.trim().equals("*")) throw CairnException.invalid("If-None-Match", ifNoneMatch, "* (the alias must not exist yet)");
            if (ifMatch != null && !ifMatch.isBlank()) {
                throw CairnException.invalid("If-Match", ifMatch, "no If-Match beside If-None-Match: *");
            }
            return new Absent();
        }
        if (ifMatch == null || ifMatch.isBlank()) return ANY;
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) tag = tag.substring(2);
        if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                long version = Long.parseLong(tag.substring(1, tag.length() - 1));
                if (version > 0) return new At(version);
            } catch (NumberFormatException e) {
                // Reported below.
            }
        }
        throw CairnException.invalid("If-Match", ifMatch, "the alias's ETag, the quoted version it points at, e.g. \"3\"");
    }

    record Any() implements AliasPrecondition {
        @Override
        public boolean holds(Long current) {
            return true;
        }

        @Override
        public String describe() {
            return "any version";
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    /** The alias must not exist yet. */
    record Absent() implements AliasPrecondition {
        @Override
        public boolean holds(Long current) {
            return current == null;
        }

        @Override
        public String describe() {
            return "no alias yet";
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("If-None-Match", "*");
        }
    }

    /** The alias must point at this version. */
    record At(long version) implements AliasPrecondition {
        @Override
        public boolean holds(Long current) {
            return current != null && current == version;
        }

        @Override
        public String describe() {
            return "version " + version;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("If-Match", etag(version));
        }
    }
}

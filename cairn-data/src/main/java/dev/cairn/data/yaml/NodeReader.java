package dev.cairn.data.yaml;

import java.time.Duration;
import java.util.List;

/**
 * What the readers of a YAML document's parts share: the problems found so far, and the checks of scalars and keys
 * that report a problem (naming line and path) and return null rather than stop, so that one reading finds every
 * problem.
 */
public abstract class NodeReader {
    protected final YamlProblems problems;

    protected NodeReader(YamlProblems problems) {
        this.problems = problems;
    }

    protected void unknownKeys(YamlNode.Mapping m, String path, List<String> allowed, String context) {
        for (YamlNode.Entry e : m.entries()) {
            if (allowed.contains(e.key())) continue;
            String keyPath = path.isEmpty() ? e.key() : path + "." + e.key();
            String hint = e.key().contains("-") && allowed.contains(e.key().replace('-', '_'))
                    ? "; did you mean '" + e.key().replace('-', '_') + "'?" : "";
            problems.add(e, keyPath, "unknown key '" + e.key() + "'" + context
                    + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")") + hint);
        }
    }

    protected String optionalText(YamlNode node, String path) {
        return absent(node) ? null : text(node, path);
    }

    /** A scalar's text as written; a list, a mapping or a null is a problem (null returned). */
    protected String text(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) return s.value() instanceof String str ? str : s.text();
        problems.add(node, path, "expected a text, found " + node.describe());
        return null;
    }

    protected Long integer(YamlNode node, String path, long min, long max) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof Long n) {
            if (n >= min && n <= max) return n;
            problems.add(node, path, n + " is outside " + min + "-" + max);
            return null;
        }
        String range = min == Long.MIN_VALUE ? "" : " from " + min + " to " + max;
        problems.add(node, path, "expected a whole number" + range + ", found " + node.describe());
        return null;
    }

    protected Boolean bool(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof Boolean b) return b;
        problems.add(node, path, "expected true or false, found " + node.describe());
        return null;
    }

    protected Duration duration(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            Duration d = Durations.parse(s.text());
            if (d != null) return d;
        }
        problems.add(node, path, "expected " + Durations.EXPECTED + ", found " + node.describe());
        return null;
    }

    /** No value: the key is missing or its value is null. */
    public static boolean absent(YamlNode node) {
        return node == null || node instanceof YamlNode.Scalar s && s.isNull();
    }
}

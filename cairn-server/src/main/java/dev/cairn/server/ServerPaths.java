package dev.cairn.server;

import dev.cairn.core.access.DataAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own directories, and the names error answers show instead of them: a message that a reader built
 * from an absolute path ({@code Cannot read '/srv/data/credit.csv'}) reaches the client as
 * {@code Cannot read '<data-root>/credit.csv'}. The last line of defence behind the routes' own care to name values
 * as the client sent them (an error must not tell a caller where the server keeps its files).
 */
public record ServerPaths(Map<String, String> replacements) {

    public static final ServerPaths NONE = new ServerPaths(Map.of());

    public ServerPaths {
        // Longest first, so a data root inside the server's home is named as the data root.
        List<Map.Entry<String, String>> entries = new ArrayList<>(replacements.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        Map<String, String> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        replacements = java.util.Collections.unmodifiableMap(ordered);
    }

    /** {@code directory} (as given, normalized and real, and as {@code file:} URIs) is shown as {@code name}. */
    public ServerPaths with(Path directory, String name) {
        Map<String, String> more = new LinkedHashMap<>(replacements);
        List<Path> spellings = new ArrayList<>(List.of(directory, directory.toAbsolutePath().normalize(),
                DataAccess.realPathOfExistingPrefix(directory.toAbsolutePath().normalize())));
        for (Path p : spellings) {
            String s = p.toString();
            if (s.length() <= 1) continue; // never "/" itself
            more.put(s, name);
            more.put("file://" + s, name);
            more.put("file:" + s, name);
            more.put(p.toUri().toString().replaceAll("/$", ""), name);
        }
        return new ServerPaths(more);
    }

    /** {@code text} with every server directory replaced by its name; null stays null. */
    public String hide(String text) {
        if (text == null || replacements.isEmpty()) return text;
        String out = text;
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            if (out.contains(e.getKey())) out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** A detail value with its text (in maps and lists too) hidden likewise. */
    public Object hideIn(Object value) {
        if (value instanceof String s) return hide(s);
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, hideIn(v)));
            return out;
        }
        if (value instanceof List<?> list) return list.stream().map(this::hideIn).toList();
        return value;
    }
}

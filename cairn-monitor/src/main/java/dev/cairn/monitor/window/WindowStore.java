package dev.cairn.monitor.window;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.monitor.performance.ScoreHistogram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Window states on disk, one JSON file per deployment, window size, model version and window start:
 * {@code ROOT/<deployment>/<window>/<version>/<start-millis>.json}, plus {@code seen.json}, the segments
 * every window has merged (written last, so it only ever under-states: a segment listed there is in every
 * window it has rows for). Each file is written under a temporary name and renamed.
 */
public final class WindowStore {
    /** Names used as they are: never "." or "..", never a hashed name (those start with '='). */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public WindowStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    Path directory(String deployment, WindowSize size) {
        return root.resolve(safe(deployment)).resolve(safe(size.name()));
    }

    /**
     * A path segment for a name that may hold any character (a model version can be a path): itself when plain,
     * else '=' and a stable hash, which no plain name can equal.
     */
    static String safe(String name) {
        return SAFE.matcher(name).matches() ? name : "=" + Sha256.of(name.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    public List<WindowState> load(String deployment, WindowSize size) {
        return load(deployment, size, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The windows that overlap [{@code from}, {@code to}) (epoch milliseconds), picked by their file names (a window's
     * start) before any is read: a deployment's state grows by a window a day, each with its profiles.
     */
    public List<WindowState> load(String deployment, WindowSize size, long from, long to) {
        Path dir = directory(deployment, size);
        if (!Files.isDirectory(dir)) return List.of();
        long length = size.duration().toMillis();
        List<WindowState> states = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("-?\\d+\\.json")).toList()) {
                String name = f.getFileName().toString();
                long start = Long.parseLong(name.substring(0, name.length() - ".json".length()));
                if (start >= to || (from != Long.MIN_VALUE && start + length <= from)) continue;
                states.add(read(f));
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read monitoring state " + dir + ": " + e.getMessage(), e);
        }
        states.sort(Comparator.comparingLong(WindowState::start).thenComparing(WindowState::modelVersion));
        return states;
    }

    public WindowState find(String deployment, WindowSize size, String version, long start) {
        Path f = directory(deployment, size).resolve(safe(version)).resolve(start + ".json");
        return Files.exists(f) ? read(f) : null;
    }

    public void save(WindowSize size, WindowState state) {
        Path f = directory(state.deployment(), size).resolve(safe(state.modelVersion())).resolve(state.start() + ".json");
        ObjectNode node = JSON.createObjectNode();
        node.put("format", "cairn.window/v1");
        node.put("deployment", state.deployment());
        node.put("model", state.model());
        node.put("model_version", state.modelVersion());
        node.put("start", state.start());
        node.put("end", state.end());
        node.put("requests", state.requests());
        node.put("refused", state.refused());
        node.set("refused_by_field", JSON.valueToTree(state.refusedByField()));
        node.put("rows", state.rows());
        node.set("quality", JSON.valueToTree(state.quality()));
        node.set("scores", JSON.valueToTree(state.scores()));
        try {
            node.set("profile", state.profile() == null ? null : JSON.readTree(ProfileJson.write(state.profile())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        node.set("segments", JSON.valueToTree(state.segments()));
        write(f, node);
    }

    public Set<String> seen(String deployment, WindowSize size) {
        Path f = directory(deployment, size).resolve("seen.json");
        if (!Files.exists(f)) return new LinkedHashSet<>();
        try {
            return JSON.readValue(f.toFile(), new TypeReference<LinkedHashSet<String>>() {});
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public void saveSeen(String deployment, WindowSize size, Set<String> seen) {
        write(directory(deployment, size).resolve("seen.json"), JSON.valueToTree(seen));
    }

    /**
     * Removes the windows overlapping [from, to) and forgets which segments were seen, so the next update
     * recomputes them from the log (the windows kept list their own segments and are not read again).
     */
    public int remove(String deployment, WindowSize size, long from, long to) {
        int removed = 0;
        for (WindowState s : load(deployment, size)) {
            if (s.end() > from && s.start() < to) {
                delete(directory(deployment, size).resolve(safe(s.modelVersion())).resolve(s.start() + ".json"));
                removed++;
            }
        }
        delete(directory(deployment, size).resolve("seen.json"));
        return removed;
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot remove " + f + ": " + e.getMessage(), e);
        }
    }

    /** Removes the windows that ended before {@code beforeMillis}; returns how many. */
    public int prune(String deployment, WindowSize size, long beforeMillis) {
        int removed = 0;
        for (WindowState s : load(deployment, size)) {
            if (s.end() <= beforeMillis) {
                delete(directory(deployment, size).resolve(safe(s.modelVersion())).resolve(s.start() + ".json"));
                removed++;
            }
        }
        return removed;
    }

    private static WindowState read(Path f) {
        try {
            JsonNode n = JSON.readTree(f.toFile());
            ScoreHistogram bins = n.hasNonNull("scores") ? JSON.treeToValue(n.get("scores"), ScoreHistogram.class) : null;
            Map<String, Long> refused = JSON.convertValue(n.path("refused_by_field"), new TypeReference<Map<String, Long>>() {});
            Map<String, FieldQuality> quality = JSON.convertValue(n.path("quality"), new TypeReference<Map<String, FieldQuality>>() {});
            List<String> segments = JSON.convertValue(n.path("segments"), new TypeReference<List<String>>() {});
            JsonNode profile = n.get("profile");
            return new WindowState(n.path("deployment").asText(), n.path("model").asText(null), n.path("model_version").asText(),
                    n.path("start").asLong(), n.path("end").asLong(), n.path("requests").asLong(), n.path("refused").asLong(),
                    refused == null ? Map.of() : refused, n.path("rows").asLong(), quality == null ? Map.of() : quality, bins,
                    profile == null || profile.isNull() ? null : ProfileJson.read(JSON.writeValueAsString(profile)),
                    segments == null ? List.of() : segments);
        } catch (IOException | RuntimeException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read monitoring state " + f + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path f, JsonNode node) {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write monitoring state " + f + ": " + e.getMessage(), e);
        }
    }
}

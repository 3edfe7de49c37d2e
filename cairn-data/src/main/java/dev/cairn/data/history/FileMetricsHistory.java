package dev.cairn.data.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics history in a JSON-lines file, one line per validation: {@code {"timestamp":…,"metrics":{…}}}.
 * Appending a line is one write, so a crash leaves at worst a torn last line, which is skipped.
 */
public final class FileMetricsHistory implements MetricsHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FileMetricsHistory(Path file) {
        this.file = file;
    }

    record Entry(long timestamp, Map<String, Double> metrics) {}

    private List<Entry> entries() {
        if (!Files.exists(file)) return List.of();
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    entries.add(JSON.readValue(line, Entry.class));
                } catch (JsonProcessingException torn) {
                    // A torn last line from an interrupted append: the other lines are still good.
                }
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read metrics history '" + file + "': " + e.getMessage(), e);
        }
        return entries;
    }

    @Override
    public List<Double> recent(String key, int count) {
        List<Double> values = new ArrayList<>();
        for (Entry e : entries()) {
            Double v = e.metrics() == null ? null : e.metrics().get(key);
            if (v != null) values.add(v);
        }
        return values.subList(Math.max(0, values.size() - count), values.size());
    }

    @Override
    public void record(Map<String, Double> metrics, long timestamp) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            String line = JSON.writeValueAsString(new Entry(timestamp, new TreeMap<>(metrics))) + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot append to metrics history '" + file + "': " + e.getMessage(), e);
        }
    }
}

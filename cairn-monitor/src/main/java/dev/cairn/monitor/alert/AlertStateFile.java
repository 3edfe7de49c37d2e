package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.monitor.MonitorJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's state on disk, one JSON document replaced atomically (a temporary file beside it, forced,
 * then renamed over it), so a crash leaves either the old state or the new, never half of one:
 * <pre>
 * {"format": 1, "rules": [
 *   {"deployment": "credit", "rule": "precision-estimate", "phase": "FIRING", "last_evaluated_end": "…",
 *    "alert": {…an ActiveAlert…}},
 *   {"deployment": "credit", "rule": "drift", "phase": "PENDING", "breaches": 1, "last_evaluated_end": "…"},
 *   {"deployment": "credit", "rule": "latency", "phase": "OK", "last_evaluated_end": "…", "cooldown_until": "…"}]}
 * </pre>
 */
final class AlertStateFile {
    static final int FORMAT = 1;

    record Key(String deployment, String rule) {}

    record Stored(String deployment, String rule, String phase, Integer breaches, Instant lastEvaluatedEnd,
                  Instant cooldownUntil, ActiveAlert alert) {}

    record Document(int format, List<Stored> rules) {}

    private AlertStateFile() {}

    static Map<Key, RuleState> load(Path file) {
        Map<Key, RuleState> states = new LinkedHashMap<>();
        if (!Files.exists(file)) return states;
        try {
            Document doc = MonitorJson.COMPACT.readValue(Files.readString(file), Document.class);
            if (doc == null || doc.format() != FORMAT || doc.rules() == null) {
                throw new IOException("expected {\"format\": " + FORMAT + ", \"rules\": [...]}");
            }
            for (Stored s : doc.rules()) states.put(new Key(s.deployment(), s.rule()), state(s));
        } catch (IOException | RuntimeException e) {
            // Starting empty would fire every firing alert again: an operator decides, knowingly.
            throw new CairnException(ErrorCode.DATA_LOSS, "Cannot read the alert state file " + file + ": " + e.getMessage()
                    + " (move it aside to start without alert state; alerts firing now would then fire again)",
                    Map.of("file", file.toString()), e);
        }
        return states;
    }

    static void save(Path file, Map<Key, RuleState> states) {
        List<Stored> rows = new ArrayList<>();
        states.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::deployment).thenComparing(Key::rule)))
                .forEach(e -> rows.add(stored(e.getKey(), e.getValue())));
        byte[] bytes = MonitorJson.write(MonitorJson.COMPACT, new Document(FORMAT, rows)).getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                if (temp != null) Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The write failed already; that is the error to report.
            }
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the alert state file " + file + ": " + e.getMessage(),
                    Map.of("file", file.toString()), e);
        }
    }

    private static Stored stored(Key key, RuleState state) {
        return switch (state) {
            case RuleState.Ok ok -> new Stored(key.deployment(), key.rule(), "OK", null, ok.lastEvaluatedEnd(), ok.cooldownUntil(), null);
            case RuleState.Pending p -> new Stored(key.deployment(), key.rule(), "PENDING", p.breaches(), p.lastEvaluatedEnd(), null, null);
            case RuleState.Firing f -> new Stored(key.deployment(), key.rule(), "FIRING", null, f.lastEvaluatedEnd(), null, f.alert());
        };
    }

    private static RuleState state(Stored s) throws IOException {
        if (s.deployment() == null || s.rule() == null) throw new IOException("an entry without deployment or rule");
        return switch (String.valueOf(s.phase())) {
            case "OK" -> new RuleState.Ok(s.lastEvaluatedEnd(), s.cooldownUntil());
            case "PENDING" -> {
                if (s.breaches() == null || s.breaches() < 1) throw new IOException("PENDING " + s.rule() + " without breaches");
                yield new RuleState.Pending(s.breaches(), s.lastEvaluatedEnd());
            }
            case "FIRING" -> {
                if (s.alert() == null) throw new IOException("FIRING " + s.rule() + " without its alert");
                yield new RuleState.Firing(s.alert(), s.lastEvaluatedEnd());
            }
            default -> throw new IOException("phase " + s.phase() + " of " + s.rule() + " is not OK, PENDING or FIRING");
        };
    }
}

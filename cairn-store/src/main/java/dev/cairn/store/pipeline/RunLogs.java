package dev.cairn.store.pipeline;

import static dev.cairn.store.pipeline.PipelineRows.LOG_COLUMNS;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The log lines of runs, numbered 1, 2, … per run, so that a reader follows a run by asking for what came after. */
final class RunLogs {

    /**
     * Longest stored line, in characters. A step that prints a megabyte without a newline (a serialized frame, a
     * progress bar) would otherwise put all of it in every read of the log; its start says what it was.
     */
    static final int MAX_LINE_LENGTH = 8192;

    private final Database database;

    RunLogs(Database database) {
        this.database = database;
    }

    long append(String runId, String stepId, String level, List<String> lines, Instant time) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.optionalName("step_id", stepId);
        PipelineValidation.name("level", level);
        PipelineValidation.time("time", time);
        if (lines == null) throw CairnException.invalid("lines", null, "a list of log lines");
        List<String> messages = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line == null) throw CairnException.invalid("lines", null, "log lines that are not null");
            messages.add(capped(PipelineValidation.freeText(line)));
        }
        return database.write(connection -> {
            // The run's row lock orders concurrent appenders of one run, so that each gets the next numbers.
            PipelineRuns.pipelineOf(connection, database.dialect(), runId, true);
            long seq = Jdbc.queryOne(connection, "SELECT COALESCE(MAX(seq), 0) FROM pipeline_logs WHERE run_id = ?",
                    row -> row.getLong(1), runId).orElse(0L);
            if (messages.isEmpty()) return seq;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO pipeline_logs (run_id, seq, step_id, logged_at, level, message) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (String message : messages) {
                    Jdbc.bind(insert, Arrays.asList(runId, ++seq, stepId, time.toEpochMilli(), level, message));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return seq;
        });
    }

    List<RunLogLine> read(String runId, long afterSeq, int max) {
        PipelineValidation.name("run_id", runId);
        PipelineValidation.maxResults("max", max);
        return database.read(connection -> {
            PipelineRuns.pipelineOf(connection, database.dialect(), runId, false);
            return Jdbc.query(connection, "SELECT " + LOG_COLUMNS + " FROM pipeline_logs WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                    PipelineRows::log, runId, afterSeq, max);
        });
    }

    /** The line, or its start with a marker saying how long it was, within {@link #MAX_LINE_LENGTH} characters. */
    static String capped(String line) {
        if (line.length() <= MAX_LINE_LENGTH) return line;
        String marker = " …[truncated: " + line.length() + " characters]";
        int keep = MAX_LINE_LENGTH - marker.length();
        if (Character.isHighSurrogate(line.charAt(keep - 1))) keep--; // never half a character
        return line.substring(0, keep) + marker;
    }
}
